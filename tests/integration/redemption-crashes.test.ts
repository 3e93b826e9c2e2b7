import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appProxyUrl } from "../support/app-proxy";
import { startApp, type RunningApp } from "../support/app-server";
import { appTestEnvironment } from "../support/database-file";
import { createShopifyAdminEmulator, DEFAULT_SHOP, redirectShopifyAdminApi, type ShopifyAdminEmulator } from "../emulators/shopify-admin";

/**
 * Crash safety of redemption, proved by killing the production server with SIGKILL at each step
 * (after the debit; after Shopify created the code; after the redemption was marked issued), then
 * restarting it, running recovery, and checking that every debit has exactly one code on Shopify
 * and every code exactly one debit.
 */
const shop = DEFAULT_SHOP.domain;
const { databaseUrl } = appTestEnvironment();

const { default: db } = await import("../../app/db.server");
const { unauthenticated } = await import("../../app/shopify.server");
const { installShop } = await import("../../app/loyalty/program.server");
const { processEvent } = await import("../../app/loyalty/events.server");
const { checkMember } = await import("../../app/loyalty/ledger.server");
const { recoverPendingRedemptions } = await import("../../app/loyalty/redemptions.server");
const { shopifyDiscountIssuer } = await import("../../app/platforms/shopify/discount-issuer.server");
const { customer, line, order } = await import("../support/facts");

const preload = path.resolve(import.meta.dirname, "../emulators/shopify-admin/redirect-preload.mjs");
let emulator: ShopifyAdminEmulator;
let restoreFetch: () => void;
let customerId: string;
let rewardId: string;

beforeAll(async () => {
  emulator = await createShopifyAdminEmulator();
  restoreFetch = redirectShopifyAdminApi(emulator.url);
  await installShop(db, shop);
  await db.session.create({
    data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: DEFAULT_SHOP.accessToken, scope: "write_discounts" },
  });
  customerId = emulator.addCustomer({ firstName: "Ada", email: "ada@example.com" }).id.split("/").pop()!;
  await processEvent(db, { shopDomain: shop, dedupeKey: "o1", topic: "t" }, { type: "order", order: order("o1", customer(customerId), [line("l", 500_000)]) });
  rewardId = (await db.reward.findFirstOrThrow({ where: { shop: { domain: shop }, kind: "FIXED_AMOUNT" } })).id;
});
afterAll(async () => {
  restoreFetch?.();
  await emulator?.stop();
  await db.$disconnect();
});

function server(crashAt?: string): Promise<RunningApp> {
  const env: Record<string, string> = { SHOPIFY_ADMIN_EMULATOR_URL: emulator.url };
  if (crashAt) Object.assign(env, { TIERWISE_CRASH_TESTS: "1", TIERWISE_CRASH_AT: crashAt });
  return startApp(databaseUrl, env, ["--import", preload]);
}

function redeemOver(app: RunningApp, requestId: string) {
  return fetch(appProxyUrl(app.url, "/proxy/redeem", { shop, customerId }), {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ rewardId, requestId }),
  });
}

async function exitSignal(app: RunningApp): Promise<string | null> {
  if (app.process.exitCode !== null || app.process.signalCode !== null) return app.process.signalCode;
  return new Promise((resolve) => app.process.once("exit", (_code, signal) => resolve(signal)));
}

/** Every debit has exactly one redemption and, once issued, exactly one code on Shopify, and back. */
async function expectOneCodePerDebit() {
  const member = await db.member.findFirstOrThrow({ where: { shop: { domain: shop }, platformCustomerId: customerId } });
  expect(await checkMember(db, member)).toEqual([]);
  const redemptions = await db.redemption.findMany({ where: { memberId: member.id } });
  const debits = await db.ledgerEntry.findMany({ where: { memberId: member.id, kind: "REDEMPTION" } });
  const refunds = await db.ledgerEntry.findMany({ where: { memberId: member.id, kind: "REDEMPTION_REFUND" } });
  expect(debits.map((d) => d.sourceId).sort()).toEqual(redemptions.map((r) => r.id).sort());
  const shopifyCodes = emulator.snapshot().discounts.flatMap((d) => d.codes.map((code) => ({ code, id: d.id })));
  for (const r of redemptions) {
    const onShopify = shopifyCodes.filter((c) => c.code.toUpperCase() === r.code);
    if (r.status === "FAILED") {
      expect(onShopify).toHaveLength(0);
      expect(refunds.filter((e) => e.sourceId === r.id)).toHaveLength(1);
    } else {
      expect(r.status).toBe("ISSUED");
      expect(onShopify).toHaveLength(1);
      expect(onShopify[0].id).toBe(r.platformDiscountId);
    }
  }
  expect(shopifyCodes).toHaveLength(redemptions.filter((r) => r.status !== "FAILED").length);
  return { member, redemptions };
}

describe("redemption survives SIGKILL at every step", () => {
  for (const step of ["redemption:after-debit", "redemption:after-platform-create", "redemption:after-issued"]) {
    it(`killed ${step.replace("redemption:", "")}: recovery leaves one code per debit, and a retried request changes nothing`, async () => {
      const before = await db.member.findFirstOrThrow({ where: { platformCustomerId: customerId } });
      const requestId = `crash-${step.replace(/\W/g, "-")}`;
      const doomed = await server(step);
      await expect(redeemOver(doomed, requestId)).rejects.toThrow();
      expect(await exitSignal(doomed)).toBe("SIGKILL");

      const restarted = await server();
      try {
        const { admin } = await unauthenticated.admin(shop);
        await recoverPendingRedemptions(db, shop, shopifyDiscountIssuer(admin.graphql), { now: new Date(Date.now() + 10 * 60_000) });
        const { redemptions } = await expectOneCodePerDebit();
        const mine = redemptions.find((r) => r.requestId === requestId)!;
        expect(mine.status).toBe("ISSUED");
        // The shopper's widget retries the same request after the crash: same code, no new debit.
        const retry = await redeemOver(restarted, requestId);
        expect(retry.status).toBe(200);
        expect((await retry.json()).redemption).toMatchObject({ id: mine.id, status: "ISSUED", code: mine.code });
        const after = await db.member.findFirstOrThrow({ where: { platformCustomerId: customerId } });
        expect(after.balance).toBe(before.balance - 500);
        await expectOneCodePerDebit();
      } finally {
        await restarted.stop();
      }
    });
  }

  it("refuses a bad, stale or missing signature with 401, and a visitor who is not signed in", async () => {
    const app = await server();
    try {
      const body = JSON.stringify({ rewardId, requestId: "sig-check-1" });
      const post = (url: string) => fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body });
      expect((await post(appProxyUrl(app.url, "/proxy/redeem", { shop, customerId, secret: "wrong" }))).status).toBe(401);
      expect((await post(appProxyUrl(app.url, "/proxy/redeem", { shop, customerId, timestamp: Math.floor(Date.now() / 1000) - 600 }))).status).toBe(401);
      expect((await post(`${app.url}/proxy/redeem?shop=${shop}&logged_in_customer_id=${customerId}`)).status).toBe(401);
      // Another customer's id in a tampered query: the signature no longer matches.
      const tampered = appProxyUrl(app.url, "/proxy/redeem", { shop, customerId }).replace(`logged_in_customer_id=${customerId}`, "logged_in_customer_id=1");
      expect((await post(tampered)).status).toBe(401);
      const anonymous = await post(appProxyUrl(app.url, "/proxy/redeem", { shop, customerId: null }));
      expect(anonymous.status).toBe(401);
      expect((await anonymous.json()).error).toBe("unknown_member");
      expect(await db.redemption.count({ where: { requestId: "sig-check-1" } })).toBe(0);
      const polish = await fetch(appProxyUrl(app.url, "/proxy/redeem", { shop, customerId, extra: { locale: "pl" } }), {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ rewardId, requestId: "x" }),
      });
      expect(polish.status).toBe(400);
      expect((await polish.json()).message).toBe("Nie rozumiemy tego żądania.");
    } finally {
      await app.stop();
    }
  });
});
