import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoAdminAllowed } from "../../app/admin/demo-mode.server";
import { startApp, type RunningApp } from "../support/app-server";
import { freshDatabaseFile } from "../support/database-file";
import { browserFetch as fetch } from "../support/admin-session";

/**
 * The local demo admin opens the embedded pages without Shopify, on the demo shop's offline
 * session. Only a development process bound to loopback, asked for it, serving a loopback peer
 * may do that; the production server never does.
 */
const shop = "tierwise-demo.myshopify.com";
const file = freshDatabaseFile();
process.env.DATABASE_URL = `file:${file}`;
const { default: db } = await import("../../app/db.server");
const { installShop } = await import("../../app/loyalty/program.server");
const { processEvent } = await import("../../app/loyalty/events.server");
const { customer, line, order } = await import("../support/facts");

const running: RunningApp[] = [];
beforeAll(async () => {
  await installShop(db, shop);
  await db.session.create({ data: { id: `offline_${shop}`, shop, state: "demo", isOnline: false, accessToken: "shpat_tierwise_demo_token", scope: "read_orders" } });
  const who = customer("501", { firstName: "Demo", lastName: "Shopper" });
  await processEvent(db, { shopDomain: shop, dedupeKey: "d1", topic: "orders/paid" }, { type: "order", order: order("d1", who, [line("l", 5000)]) });
});
afterAll(async () => {
  await Promise.all(running.map((app) => app.stop()));
  await db.$disconnect();
});

async function serve(env: Record<string, string>) {
  const app = await startApp(`file:${file}`, env);
  running.push(app);
  return app;
}

describe("demo admin switch", () => {
  it("is allowed only with the switch, outside production, on loopback, for a loopback peer", () => {
    const ok = { TIERWISE_DEMO_ADMIN: "1", NODE_ENV: "development", HOST: "127.0.0.1" };
    expect(demoAdminAllowed(ok, "127.0.0.1")).toBe(true);
    expect(demoAdminAllowed(ok, "::1")).toBe(true);
    expect(demoAdminAllowed({ ...ok, NODE_ENV: "production" }, "127.0.0.1")).toBe(false);
    expect(demoAdminAllowed({ ...ok, NODE_ENV: undefined }, "127.0.0.1")).toBe(false);
    expect(demoAdminAllowed({ ...ok, TIERWISE_DEMO_ADMIN: "true" }, "127.0.0.1")).toBe(false);
    expect(demoAdminAllowed({ ...ok, HOST: "0.0.0.0" }, "127.0.0.1")).toBe(false);
    expect(demoAdminAllowed(ok, "10.0.0.7")).toBe(false);
    expect(demoAdminAllowed(ok, undefined)).toBe(false);
  });

  it("the production build refuses it: no session token, no admin, whatever the environment asks", async () => {
    const app = await serve({ TIERWISE_DEMO_ADMIN: "1", NODE_ENV: "production" });
    for (const path of ["/app", "/app/members", "/app/export/members"]) {
      const res = await fetch(`${app.url}${path}`, { redirect: "manual" });
      expect(res.status, path).not.toBe(200);
      expect(await res.text()).not.toContain("Demo Shopper");
    }
  });

  it("a development server on loopback serves the demo shop's admin without Shopify", async () => {
    const app = await serve({ TIERWISE_DEMO_ADMIN: "1", NODE_ENV: "development" });
    const res = await fetch(`${app.url}/app/members?locale=pl`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Demo Shopper");
    expect(html).toContain("Członkowie");
    expect(html).toContain("Lokalne demo (bez Shopify)");
  });

  it("a development server listening on every interface refuses it", async () => {
    const app = await serve({ TIERWISE_DEMO_ADMIN: "1", NODE_ENV: "development", HOST: "0.0.0.0" });
    const res = await fetch(app.url.replace("0.0.0.0", "127.0.0.1") + "/app/members", { redirect: "manual" });
    expect(res.status).not.toBe(200);
  });
});
