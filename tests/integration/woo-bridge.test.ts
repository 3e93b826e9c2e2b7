import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type RunningApp } from "../support/app-server";
import { freshDatabaseFile } from "../support/database-file";
import { hasPhp, phpRelay, phpSignedHeaders } from "../support/php";
import { freePort, TEST_ENCRYPTION_KEY } from "../support/woo";
import { createWooEmulator, DEFAULT_KEY, type WooEmulator } from "../emulators/woocommerce";

/**
 * The WooCommerce bridge end to end: the built app (its own process) connected to the WooCommerce
 * REST emulator over plain HTTP with OAuth 1.0a, through the real @woocommerce/woocommerce-rest-api
 * client; webhooks delivered by the emulator with real signatures; coupons created on redemption;
 * deliveries dropped and the balances repaired by reconciliation.
 */
const databaseFile = freshDatabaseFile();
process.env.DATABASE_URL = `file:${databaseFile}`;
process.env.TIERWISE_ENCRYPTION_KEY = TEST_ENCRYPTION_KEY;
// The scheduler's outbox dispatch (app/jobs/start.server.ts) loads the Shopify app config too.
process.env.SHOPIFY_API_KEY ??= "tierwise-test-key";
process.env.SHOPIFY_API_SECRET ??= "tierwise-test-secret";
process.env.SHOPIFY_APP_URL ??= "https://tierwise.test";

const { createDatabaseClient } = await import("../../app/db.server");
const { reconcileWooStore } = await import("../../woo-bridge/src/reconcile.server");
const { signPluginRequest } = await import("../../woo-bridge/src/plugin-signature");
const { recomputeMember } = await import("../../app/loyalty/ledger.server");
const { redeem } = await import("../../app/loyalty/redemptions.server");
const { deliverOutbox } = await import("../../app/jobs/outbox-worker.server");
const { platformOutboxHandlers } = await import("../../app/jobs/start.server");

const db = createDatabaseClient(`file:${databaseFile}`);
let emulator: WooEmulator;
let app: RunningApp;
let connection: { connectionId: string; pluginSecret: string; shopDomain: string };

const post = (path: string, body: unknown) =>
  fetch(`${app.url}${path}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

async function signedStorefront(method: "GET" | "POST", action: "status" | "redeem", customerId: string, body = "") {
  const path = `/woo/storefront/${connection.connectionId}/${action}`;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = signPluginRequest(connection.pluginSecret, timestamp, customerId, method, path, body);
  return fetch(`${app.url}${path}`, {
    method,
    headers: { "X-Tierwise-Customer": customerId, "X-Tierwise-Timestamp": timestamp, "X-Tierwise-Signature": signature, "Content-Type": "application/json" },
    ...(method === "POST" ? { body } : {}),
  });
}

const memberOf = (customerId: number) =>
  db.member.findFirst({ where: { shop: { domain: connection.shopDomain }, platformCustomerId: String(customerId) } });
const balanceOf = async (customerId: number) => (await memberOf(customerId))?.balance ?? null;

/** Delivers everything the store sent, then waits for the app to have answered. */
const settle = () => emulator.settle();

beforeAll(async () => {
  emulator = await createWooEmulator();
  const port = await freePort();
  app = await startApp(`file:${databaseFile}`, {
    PORT: String(port),
    TIERWISE_PUBLIC_URL: `http://127.0.0.1:${port}`,
    TIERWISE_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    TIERWISE_WOO_ALLOW_LOOPBACK: "1",
  });
});
afterAll(async () => {
  if (process.env.WOO_TEST_LOG) console.log(app?.output());
  await app?.stop();
  await emulator?.stop();
  await db.$disconnect();
});

describe("connecting a WooCommerce store", () => {
  it("refuses bad keys, a store without HTTPS and malformed input, writing nothing", async () => {
    const bad = await post("/woo/connect", { storeUrl: emulator.url, consumerKey: `ck_${"1".repeat(40)}`, consumerSecret: `cs_${"2".repeat(40)}` });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ error: "bad_keys", detail: expect.stringContaining("woocommerce_rest_authentication_error") });

    const wrongSecret = await post("/woo/connect?locale=pl", { storeUrl: emulator.url, consumerKey: DEFAULT_KEY.consumerKey, consumerSecret: `cs_${"2".repeat(40)}` });
    expect(wrongSecret.status).toBe(422);
    expect((await wrongSecret.json()).message).toContain("Sklep odrzucił te klucze");

    const plain = await post("/woo/connect", { storeUrl: "http://shop.example.com", consumerKey: DEFAULT_KEY.consumerKey, consumerSecret: DEFAULT_KEY.consumerSecret });
    expect(plain.status).toBe(400);
    expect(await plain.json()).toMatchObject({ error: "https_required" });

    const malformed = await post("/woo/connect", { storeUrl: emulator.url, consumerKey: "key" });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: "invalid_input" });

    expect(await db.wooConnection.count()).toBe(0);
    expect(await db.shop.count()).toBe(0);
    expect(emulator.store.webhooks.size).toBe(0);
  });

  it("checks the keys, stores them encrypted and registers one webhook per topic, each with its own secret", async () => {
    const response = await post("/woo/connect", {
      storeUrl: emulator.url,
      consumerKey: DEFAULT_KEY.consumerKey,
      consumerSecret: DEFAULT_KEY.consumerSecret,
      earnStatus: "processing",
    });
    expect(response.status).toBe(201);
    connection = await response.json();
    expect(connection.pluginSecret).toMatch(/^[A-Za-z0-9_-]{40,}$/);

    const hooks = [...emulator.store.webhooks.values()];
    expect(hooks.map((w) => w.topic).sort()).toEqual(
      ["customer.created", "customer.deleted", "customer.updated", "order.created", "order.deleted", "order.updated"],
    );
    expect(hooks.every((w) => w.status === "active" && w.delivery_url === `${app.url}/woo/webhooks/${connection.connectionId}`)).toBe(true);
    expect(new Set(hooks.map((w) => w.secret)).size).toBe(6);
    // Every request the client made over plain HTTP was OAuth 1.0a signed and accepted.
    expect(emulator.requestLog.filter((r) => r.status === 401)).toHaveLength(2);

    const row = await db.wooConnection.findUniqueOrThrow({ where: { id: connection.connectionId }, include: { webhooks: true } });
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(DEFAULT_KEY.consumerKey);
    expect(stored).not.toContain(DEFAULT_KEY.consumerSecret);
    expect(stored).not.toContain(connection.pluginSecret);
    for (const hook of hooks) expect(stored).not.toContain(hook.secret);
    expect(row.consumerKey).toMatch(/^v1:/);
    const shop = await db.shop.findUniqueOrThrow({ where: { id: row.shopId } });
    expect(shop.platform).toBe("WOOCOMMERCE");
  });
});

describe("webhooks", () => {
  it("refuses a delivery with a wrong signature before anything is written", async () => {
    const hook = [...emulator.store.webhooks.values()].find((w) => w.topic === "customer.created")!;
    const body = JSON.stringify({ id: 999, email: "mallory@example.com", date_created_gmt: "2026-11-01T10:00:00", date_modified_gmt: "2026-11-01T10:00:00" });
    const forged = await fetch(`${app.url}/woo/webhooks/${connection.connectionId}`, {
      method: "POST",
      body,
      headers: { "Content-Type": "application/json", "X-WC-Webhook-ID": String(hook.id), "X-WC-Webhook-Topic": "customer.created", "X-WC-Webhook-Signature": emulator.deliveries.sign(body, "not-the-secret") },
    });
    expect(forged.status).toBe(401);
    const unsigned = await fetch(`${app.url}/woo/webhooks/${connection.connectionId}`, { method: "POST", body, headers: { "Content-Type": "application/json" } });
    expect(unsigned.status).toBe(401);
    expect(await db.member.count()).toBe(0);
    expect(await db.webhookDelivery.count()).toBe(0);
  });

  it("enrolls a new customer, earns at processing, never twice, and reverses refunds proportionally", async () => {
    const ada = emulator.addCustomer({ email: "ada@example.com", first_name: "Ada" });
    await settle();
    expect(await balanceOf(ada)).toBe(100); // welcome points

    // 2 x 30.00 + 10.00 shipping (not earning by default): 60 points.
    const order = emulator.placeOrder({ customerId: ada, lines: [{ productId: 11, quantity: 2, unitMinor: 3000 }], shippingMinor: 1000 });
    await settle();
    expect(await balanceOf(ada)).toBe(100);
    emulator.setStatus(order, "processing");
    await settle();
    expect(await balanceOf(ada)).toBe(160);

    emulator.resend("order.updated", order);
    emulator.resend("order.updated", order);
    await settle();
    emulator.setStatus(order, "completed");
    emulator.setStatus(order, "processing");
    emulator.setStatus(order, "completed");
    await settle();
    expect(await balanceOf(ada)).toBe(160);
    const duplicates = emulator.deliveries.log.filter((d) => d.resourceId === order && d.outcome === "delivered");
    expect(duplicates.length).toBeGreaterThanOrEqual(6);

    // 35.00 of the 70.00 order refunded: half of every part, so half of the 60 points.
    emulator.refund(order, 3500, "half back");
    await settle();
    expect(await balanceOf(ada)).toBe(130);
    // The rest: status refunded, nothing of the order's points left.
    emulator.refund(order, 3500, "the rest");
    await settle();
    expect(await balanceOf(ada)).toBe(100);

    // A cancelled order takes back what it earned.
    const cancelled = emulator.placeOrder({ customerId: ada, lines: [{ productId: 12, quantity: 1, unitMinor: 4500 }], status: "processing" });
    await settle();
    expect(await balanceOf(ada)).toBe(145);
    emulator.setStatus(cancelled, "cancelled");
    await settle();
    expect(await balanceOf(ada)).toBe(100);

    const member = (await memberOf(ada))!;
    const check = await recomputeMember(db, member.id);
    expect(check.balance).toBe(member.balance);
  });

  it("converges when deliveries arrive late, out of order, twice and at the same moment", async () => {
    const orderHooks = [...emulator.store.webhooks.values()].filter((w) => w.topic.startsWith("order."));
    const updated = orderHooks.find((w) => w.topic === "order.updated")!;
    const hal = emulator.addCustomer({ email: "hal@example.com" });
    await settle();
    // The merchant pauses the order webhooks; we keep what they would have sent and send it ourselves.
    for (const hook of orderHooks) hook.status = "paused";
    const order = emulator.placeOrder({ customerId: hal, lines: [{ productId: 31, quantity: 1, unitMinor: 8000 }] });
    emulator.setStatus(order, "processing");
    const processing = JSON.stringify(emulator.deliveries.payloadFor("order.updated", order));
    emulator.refund(order, 2000, "a quarter");
    const refunded = JSON.stringify(emulator.deliveries.payloadFor("order.updated", order));
    emulator.setStatus(order, "completed");
    const completed = JSON.stringify(emulator.deliveries.payloadFor("order.updated", order));
    for (const hook of orderHooks) hook.status = "active";

    const send = (body: string) =>
      fetch(`${app.url}/woo/webhooks/${connection.connectionId}`, {
        method: "POST",
        body,
        headers: { "Content-Type": "application/json", "X-WC-Webhook-ID": String(updated.id), "X-WC-Webhook-Topic": "order.updated", "X-WC-Webhook-Signature": emulator.deliveries.sign(body, updated.secret) },
      });
    const answers = await Promise.all([completed, refunded, processing, completed, processing, refunded].map(send));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    // 100 welcome + 80 - 20.
    expect(await balanceOf(hal)).toBe(160);
    const deliveries = await db.webhookDelivery.count({ where: { dedupeKey: { startsWith: `woo:order:${order}:` } } });
    expect(deliveries).toBe(3);

    // Signed but not an order: 400 and nothing recorded.
    const before = await db.webhookDelivery.count();
    const bad = await send(JSON.stringify({ id: "not a number", status: "processing" }));
    expect(bad.status).toBe(400);
    expect(await db.webhookDelivery.count()).toBe(before);

    // A deleted (trashed) order carries only its id: acknowledged, points unchanged.
    const deletedHook = orderHooks.find((w) => w.topic === "order.deleted")!;
    const body = JSON.stringify({ id: order });
    const deleted = await fetch(`${app.url}/woo/webhooks/${connection.connectionId}`, {
      method: "POST",
      body,
      headers: { "Content-Type": "application/json", "X-WC-Webhook-ID": String(deletedHook.id), "X-WC-Webhook-Topic": "order.deleted", "X-WC-Webhook-Signature": emulator.deliveries.sign(body, deletedHook.secret) },
    });
    expect(await deleted.json()).toEqual({ ok: true, status: "ignored" });
    expect(await balanceOf(hal)).toBe(160);
    // The signature of one webhook does not open another: order.deleted's secret on order.updated.
    const crossed = await fetch(`${app.url}/woo/webhooks/${connection.connectionId}`, {
      method: "POST",
      body: completed,
      headers: { "Content-Type": "application/json", "X-WC-Webhook-ID": String(updated.id), "X-WC-Webhook-Signature": emulator.deliveries.sign(completed, deletedHook.secret) },
    });
    expect(crossed.status).toBe(401);
  });

  it("waits for the completed status when the merchant chose it", async () => {
    await db.wooConnection.update({ where: { id: connection.connectionId }, data: { earnStatus: "completed" } });
    const bo = emulator.addCustomer({ email: "bo@example.com" });
    const order = emulator.placeOrder({ customerId: bo, lines: [{ productId: 13, quantity: 1, unitMinor: 2000 }], status: "processing" });
    await settle();
    expect(await balanceOf(bo)).toBe(100);
    emulator.setStatus(order, "completed");
    await settle();
    expect(await balanceOf(bo)).toBe(120);
    await db.wooConnection.update({ where: { id: connection.connectionId }, data: { earnStatus: "processing" } });
  });
});

describe("redeeming on WooCommerce", () => {
  it("creates a single-use coupon for the member, with the reward's terms", async () => {
    const cy = emulator.addCustomer({ email: "Cy@Example.com", first_name: "Cy" });
    emulator.placeOrder({ customerId: cy, lines: [{ productId: 14, quantity: 1, unitMinor: 30000 }], status: "processing" });
    await settle();
    expect(await balanceOf(cy)).toBe(400);

    const variable = await db.reward.findFirstOrThrow({ where: { shop: { domain: connection.shopDomain }, kind: "VARIABLE_AMOUNT" } });
    const body = JSON.stringify({ rewardId: variable.id, points: 200, requestId: "req-woo-fixed-0001" });
    const response = await signedStorefront("POST", "redeem", String(cy), body);
    expect(response.status).toBe(200);
    const result = await response.json();
    expect(result).toMatchObject({ redemption: { status: "ISSUED", pointsSpent: 200 }, balance: 200 });

    const coupon = [...emulator.store.coupons.values()].find((c) => c.code === result.redemption.code.toLowerCase())!;
    expect(coupon).toMatchObject({
      discount_type: "fixed_cart",
      amount: "2.00",
      usage_limit: 1,
      usage_limit_per_user: 1,
      email_restrictions: ["cy@example.com"],
      individual_use: true,
      free_shipping: false,
    });
    expect(coupon.date_expires).toBe(result.redemption.expiresAt.slice(0, 19));

    // The same request again returns the same redemption and creates no second coupon.
    const again = await signedStorefront("POST", "redeem", String(cy), body);
    expect((await again.json()).redemption.code).toBe(result.redemption.code);
    expect(emulator.store.coupons.size).toBe(1);

    // A percentage reward that combines with order discounts: percent, not individual use.
    const percent = await db.reward.findFirstOrThrow({ where: { shop: { domain: connection.shopDomain }, kind: "PERCENTAGE" } });
    await db.reward.update({ where: { id: percent.id }, data: { pointsCost: 150, combinesWithOrder: true } });
    const second = await signedStorefront("POST", "redeem", String(cy), JSON.stringify({ rewardId: percent.id, requestId: "req-woo-percent-01" }));
    const issued = await second.json();
    expect(issued.redemption.status).toBe("ISSUED");
    const percentCoupon = [...emulator.store.coupons.values()].find((c) => c.code === issued.redemption.code.toLowerCase())!;
    expect(percentCoupon).toMatchObject({ discount_type: "percent", amount: "10.00", individual_use: false, usage_limit: 1, email_restrictions: ["cy@example.com"] });
    expect(await balanceOf(cy)).toBe(50);

    // An order using the code marks the redemption used.
    emulator.placeOrder({ customerId: cy, lines: [{ productId: 15, quantity: 1, unitMinor: 1000 }], couponCodes: [percentCoupon.code], status: "processing" });
    await settle();
    const used = await db.redemption.findFirstOrThrow({ where: { code: issued.redemption.code } });
    expect(used.status).toBe("USED");
  });

  it("issues a pending redemption through the scheduler's outbox dispatch, and retries while the store is down", async () => {
    const gus = emulator.addCustomer({ email: "gus@example.com" });
    await settle();
    const variable = await db.reward.findFirstOrThrow({ where: { shop: { domain: connection.shopDomain }, kind: "VARIABLE_AMOUNT" } });
    const member = (await memberOf(gus))!;
    const result = await redeem(db, { shopDomain: connection.shopDomain, memberId: member.id, rewardId: variable.id, points: 100, requestId: "req-outbox-woo-01" });
    expect(result.ok && result.redemption.status).toBe("PENDING");
    const code = result.ok ? result.redemption.code : "";

    emulator.failNextRequests(100, 503);
    const down = await deliverOutbox(db, platformOutboxHandlers, { now: new Date(Date.now() + 1000) });
    expect(down.retried).toBe(1);
    emulator.failNextRequests(0);
    expect((await db.redemption.findFirstOrThrow({ where: { code } })).status).toBe("PENDING");

    const up = await deliverOutbox(db, platformOutboxHandlers, { now: new Date(Date.now() + 3_600_000) });
    expect(up.delivered).toBe(1);
    expect((await db.redemption.findFirstOrThrow({ where: { code } })).status).toBe("ISSUED");
    expect([...emulator.store.coupons.values()].filter((c) => c.code === code.toLowerCase())).toHaveLength(1);
    expect(await balanceOf(gus)).toBe(0);
  });

  it("answers the storefront status only for a correctly signed, fresh request", async () => {
    const cy = [...emulator.store.customers.values()].find((c) => c.email === "cy@example.com")!.id;
    const ok = await signedStorefront("GET", "status", String(cy));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ viewer: "member", member: { balance: 60 } });

    if (hasPhp) {
      // Signed by the WordPress plugin's own PHP function, verified by the running app.
      const path = `/woo/storefront/${connection.connectionId}/status`;
      const fromPhp = await fetch(`${app.url}${path}`, { headers: phpSignedHeaders(connection.pluginSecret, String(cy), "GET", path) });
      expect(fromPhp.status).toBe(200);
      expect(await fromPhp.json()).toMatchObject({ viewer: "member", member: { balance: 60 } });
    }

    const path = `/woo/storefront/${connection.connectionId}/status`;
    const stale = String(Math.floor(Date.now() / 1000) - 3600);
    const staleResponse = await fetch(`${app.url}${path}`, {
      headers: { "X-Tierwise-Customer": String(cy), "X-Tierwise-Timestamp": stale, "X-Tierwise-Signature": signPluginRequest(connection.pluginSecret, stale, String(cy), "GET", path) },
    });
    expect(staleResponse.status).toBe(401);
    const now = String(Math.floor(Date.now() / 1000));
    // Signed for one customer, presented for another.
    const swapped = await fetch(`${app.url}${path}`, {
      headers: { "X-Tierwise-Customer": "1", "X-Tierwise-Timestamp": now, "X-Tierwise-Signature": signPluginRequest(connection.pluginSecret, now, String(cy), "GET", path) },
    });
    expect(swapped.status).toBe(401);
  });
});

describe.skipIf(!hasPhp)("the WordPress plugin's relay", () => {
  it("shows the signed-in customer their status and redeems for them, through the app", async () => {
    const cy = [...emulator.store.customers.values()].find((c) => c.email === "cy@example.com")!.id;
    const relay = (action: "status" | "redeem", userId: number, body?: string, locale = "pl_PL") =>
      phpRelay({ appUrl: app.url, connectionId: connection.connectionId, secret: connection.pluginSecret, userId, locale, action, body });

    expect(relay("status", cy)).toMatchObject({ status: 200, data: { viewer: "member", member: { balance: 60 } } });
    expect(relay("status", 0)).toMatchObject({ status: 200, data: { viewer: "guest", member: null } });

    const variable = await db.reward.findFirstOrThrow({ where: { shop: { domain: connection.shopDomain }, kind: "VARIABLE_AMOUNT" } });
    const guest = relay("redeem", 0, JSON.stringify({ rewardId: variable.id, points: 100, requestId: "req-wp-guest-0001" }));
    expect(guest.status).toBe(401);
    const tooMuch = relay("redeem", cy, JSON.stringify({ rewardId: variable.id, points: 100, requestId: "req-wp-cy-000001" }));
    expect(tooMuch).toMatchObject({ status: 422, data: { error: "insufficient_points", message: "Nie masz jeszcze wystarczającej liczby punktów na tę nagrodę." } });

    // A wrong secret in the plugin's settings: the app refuses, and nothing is spent.
    const forged = phpRelay({ appUrl: app.url, connectionId: connection.connectionId, secret: "wrong", userId: cy, locale: "en_US", action: "status" });
    expect(forged.status).toBe(401);
    expect(await balanceOf(cy)).toBe(60);
  });
});

describe("reconciliation", () => {
  it("gives exact balances when deliveries were lost, and re-enables the disabled webhook", async () => {
    const dee = emulator.addCustomer({ email: "dee@example.com" });
    await settle();
    expect(await balanceOf(dee)).toBe(100);

    // The network loses the next 6 order.updated deliveries: more than 5 failures disables the webhook.
    emulator.deliveries.dropNext = 6;
    emulator.deliveries.dropTopic = "order.updated";
    const first = emulator.placeOrder({ customerId: dee, lines: [{ productId: 21, quantity: 3, unitMinor: 2500 }] }); // 75.00
    const second = emulator.placeOrder({ customerId: dee, lines: [{ productId: 22, quantity: 1, unitMinor: 9000 }] }); // 90.00
    const third = emulator.placeOrder({ customerId: dee, lines: [{ productId: 23, quantity: 1, unitMinor: 4000 }] }); // 40.00
    emulator.setStatus(first, "processing");
    emulator.setStatus(second, "processing");
    emulator.setStatus(second, "completed");
    emulator.setStatus(third, "processing");
    emulator.refund(first, 2500, "one of three");
    emulator.setStatus(third, "cancelled");
    await settle();
    const updated = [...emulator.store.webhooks.values()].find((w) => w.topic === "order.updated")!;
    expect(updated.status).toBe("disabled");
    // An order that is never delivered at all (the webhook is disabled now).
    const fourth = emulator.placeOrder({ customerId: dee, lines: [{ productId: 24, quantity: 1, unitMinor: 1500 }] });
    emulator.setStatus(fourth, "processing");
    await settle();
    const lost = emulator.deliveries.log.filter((d) => d.outcome === "dropped").length;
    expect(lost).toBe(6);
    expect(await balanceOf(dee)).toBe(100);

    const shop = await db.shop.findUniqueOrThrow({ where: { domain: connection.shopDomain } });
    const report = await reconcileWooStore(db, shop.id);
    expect(report.webhooks.reenabled).toBe(1);
    expect(updated.status).toBe("active");
    // 100 welcome + (75 - 25) + 90 + 0 (cancelled) + 15.
    expect(await balanceOf(dee)).toBe(255);
    expect(report.orders.applied).toBeGreaterThanOrEqual(4);

    // Running it again changes nothing; so does another ordinary delivery.
    const again = await reconcileWooStore(db, shop.id);
    expect(again.orders.applied).toBe(0);
    expect(await balanceOf(dee)).toBe(255);
    emulator.refund(second, 9000, "all of it");
    await settle();
    expect(await balanceOf(dee)).toBe(165);

    for (const customer of await db.member.findMany({ where: { shopId: shop.id } })) {
      expect((await recomputeMember(db, customer.id)).balance).toBe(customer.balance);
    }
  });

  it("reads every page of orders changed while no webhook was delivered", async () => {
    const ivy = emulator.addCustomer({ email: "ivy@example.com" });
    await settle();
    const orderHooks = [...emulator.store.webhooks.values()].filter((w) => w.topic.startsWith("order."));
    for (const hook of orderHooks) hook.status = "paused";
    for (let i = 0; i < 130; i++) emulator.placeOrder({ customerId: ivy, lines: [{ productId: 40 + (i % 3), quantity: 1, unitMinor: 100 }], status: "processing" });
    await settle();
    expect(await balanceOf(ivy)).toBe(100);
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: connection.shopDomain } });
    const before = emulator.requestLog.length;
    const report = await reconcileWooStore(db, shop.id);
    // The merchant's paused webhooks are theirs to resume; only disabled ones are re-enabled.
    expect(report.webhooks.reenabled).toBe(0);
    expect(orderHooks.every((hook) => hook.status === "paused")).toBe(true);
    for (const hook of orderHooks) hook.status = "active";
    expect(report.orders.applied).toBe(130);
    expect(emulator.requestLog.slice(before).filter((r) => r.path.endsWith("/orders")).length).toBeGreaterThanOrEqual(2);
    expect(await balanceOf(ivy)).toBe(230);
  });

  it("recreates a webhook deleted on the store", async () => {
    const created = [...emulator.store.webhooks.values()].find((w) => w.topic === "customer.created")!;
    emulator.store.webhooks.delete(created.id);
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: connection.shopDomain } });
    const report = await reconcileWooStore(db, shop.id);
    expect(report.webhooks.recreated).toBe(1);
    const replacement = [...emulator.store.webhooks.values()].find((w) => w.topic === "customer.created")!;
    expect(replacement.id).not.toBe(created.id);
    const eve = emulator.addCustomer({ email: "eve@example.com" });
    await settle();
    expect(await balanceOf(eve)).toBe(100);
  });
});

describe("disconnecting", () => {
  it("removes the webhooks from the store and stops accepting deliveries", async () => {
    const wrong = await post("/woo/disconnect", { connectionId: connection.connectionId, consumerKey: DEFAULT_KEY.consumerKey, consumerSecret: "cs_wrong" });
    expect(wrong.status).toBe(403);
    expect(emulator.store.webhooks.size).toBe(6);
    const response = await post("/woo/disconnect", { connectionId: connection.connectionId, consumerKey: DEFAULT_KEY.consumerKey, consumerSecret: DEFAULT_KEY.consumerSecret });
    expect(response.status).toBe(200);
    expect(emulator.store.webhooks.size).toBe(0);
    expect(await db.wooWebhook.count()).toBe(0);
    const late = await signedStorefront("GET", "status", "1");
    expect(late.status).toBe(404);
  });
});
