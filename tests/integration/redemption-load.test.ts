import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appProxyUrl } from "../support/app-proxy";
import { startApp, type RunningApp } from "../support/app-server";
import { appTestEnvironment } from "../support/database-file";
import { createShopifyAdminEmulator, DEFAULT_SHOP, type ShopifyAdminEmulator } from "../emulators/shopify-admin";

/**
 * 1,000 concurrent redemption requests over real HTTP through the signed app proxy route, with
 * codes created on the Admin API emulator: no negative balance, no double spend, one code per
 * successful debit, and debits adding up to the rewards' costs.
 */
const shop = DEFAULT_SHOP.domain;
const { databaseUrl } = appTestEnvironment();

const { default: db } = await import("../../app/db.server");
const { installShop } = await import("../../app/loyalty/program.server");
const { processEvent } = await import("../../app/loyalty/events.server");
const { checkMember } = await import("../../app/loyalty/ledger.server");
const { customer, line, order } = await import("../support/facts");

let emulator: ShopifyAdminEmulator;
let app: RunningApp;
const customerIds: string[] = [];
let rewardId: string;

beforeAll(async () => {
  emulator = await createShopifyAdminEmulator();
  await installShop(db, shop);
  await db.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: DEFAULT_SHOP.accessToken } });
  for (let i = 0; i < 10; i++) {
    const id = emulator.addCustomer({ email: `load${i}@example.com` }).id.split("/").pop()!;
    customerIds.push(id);
    // 100 welcome + 2,500 = 2,600 points: five 500-point rewards each.
    await processEvent(db, { shopDomain: shop, dedupeKey: `o${i}`, topic: "t" }, { type: "order", order: order(`o${i}`, customer(id), [line("l", 250_000)]) });
  }
  rewardId = (await db.reward.findFirstOrThrow({ where: { shop: { domain: shop }, kind: "FIXED_AMOUNT" } })).id;
  const preload = path.resolve(import.meta.dirname, "../emulators/shopify-admin/redirect-preload.mjs");
  app = await startApp(databaseUrl, { SHOPIFY_ADMIN_EMULATOR_URL: emulator.url }, ["--import", preload]);
});
afterAll(async () => {
  await app?.stop();
  await emulator?.stop();
  await db.$disconnect();
});

describe("redemption under load", () => {
  it("1,000 concurrent requests over HTTP: no overdraft, no double spend, one code per debit", async () => {
    const started = performance.now();
    const responses = await Promise.all(
      Array.from({ length: 1_000 }, (_, i) => {
        const customerId = customerIds[i % customerIds.length];
        // 300 of the requests repeat an earlier request id of the same shopper (double clicks, retries).
        const requestId = `load-request-${i % 700}`;
        return fetch(appProxyUrl(app.url, "/proxy/redeem", { shop, customerId }), {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ rewardId, requestId }),
        }).then(async (r) => ({ status: r.status, body: await r.json() }));
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(`1,000 redemption requests over HTTP in ${seconds.toFixed(1)} s (${Math.round(1_000 / seconds)}/s)`);
    expect(responses.filter((r) => r.status === 200)).not.toHaveLength(0);
    expect(responses.every((r) => r.status === 200 || (r.status === 422 && r.body.error === "insufficient_points"))).toBe(true);

    const codes = emulator.snapshot().discounts.flatMap((d) => d.codes);
    const redemptions = await db.redemption.findMany({ where: { shop: { domain: shop } } });
    expect(redemptions).toHaveLength(50);
    expect(redemptions.every((r) => r.status === "ISSUED")).toBe(true);
    expect(new Set(codes).size).toBe(50);
    expect(new Set(redemptions.map((r) => r.code))).toEqual(new Set(codes));
    for (const customerId of customerIds) {
      const member = await db.member.findFirstOrThrow({ where: { platformCustomerId: customerId } });
      expect(member.balance).toBe(100);
      expect(await checkMember(db, member)).toEqual([]);
      const debits = await db.ledgerEntry.findMany({ where: { memberId: member.id, kind: "REDEMPTION" } });
      const mine = redemptions.filter((r) => r.memberId === member.id);
      expect(debits.map((d) => d.sourceId).sort()).toEqual(mine.map((r) => r.id).sort());
      expect(debits.reduce((sum, d) => sum - d.points, 0)).toBe(mine.reduce((sum, r) => sum + r.pointsSpent, 0));
    }
  }, 240_000);
});
