import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appTestEnvironment } from "../support/database-file";
import { createShopifyAdminEmulator, DEFAULT_SHOP, redirectShopifyAdminApi, type ShopifyAdminEmulator } from "../emulators/shopify-admin";

/**
 * Redemption through the app's real Shopify client (`unauthenticated.admin` of
 * @shopify/shopify-app-remix, with an offline session from our session storage), against the Admin
 * API emulator: the code Shopify gets, throttling and 5xx answers, recovery, and tier sync.
 */
const shop = DEFAULT_SHOP.domain;
appTestEnvironment();

// The app modules read the environment when they load; the redirect must follow them.
const { default: db } = await import("../../app/db.server");
const { unauthenticated, sessionStorage } = await import("../../app/shopify.server");
const { installShop } = await import("../../app/loyalty/program.server");
const { processEvent } = await import("../../app/loyalty/events.server");
const { redeem, issueRedemption, recoverPendingRedemptions } = await import("../../app/loyalty/redemptions.server");
const { shopifyDiscountIssuer } = await import("../../app/platforms/shopify/discount-issuer.server");
const { syncMemberTier } = await import("../../app/platforms/shopify/tier-sync.server");
const { Session } = await import("@shopify/shopify-api");
const { deliverOutbox } = await import("../../app/jobs/outbox-worker.server");
const { shopifyOutboxHandlers } = await import("../../app/platforms/shopify/outbox-handlers.server");
const { customer, line, order } = await import("../support/facts");

let emulator: ShopifyAdminEmulator;
let restoreFetch: () => void;
let customerId: string;

async function issuer(options: { sleep?: (ms: number) => Promise<void> } = {}) {
  const { admin } = await unauthenticated.admin(shop);
  return shopifyDiscountIssuer(admin.graphql, { sleep: options.sleep ?? (async () => {}) });
}

beforeAll(async () => {
  emulator = await createShopifyAdminEmulator();
  restoreFetch = redirectShopifyAdminApi(emulator.url);
  await sessionStorage.storeSession(
    new Session({ id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: DEFAULT_SHOP.accessToken, scope: process.env.SCOPES }),
  );
  await installShop(db, shop);
  const gid = emulator.addCustomer({ firstName: "Ada", email: "ada@example.com" }).id;
  customerId = gid.split("/").pop()!;
  const who = customer(customerId);
  await processEvent(db, { shopDomain: shop, dedupeKey: "o1", topic: "t" }, { type: "order", order: order("o1", who, [line("l", 400_000)]) });
});
afterAll(async () => {
  restoreFetch?.();
  await emulator?.stop();
  await db.$disconnect();
});

const member = () => db.member.findFirstOrThrow({ where: { shop: { domain: shop }, platformCustomerId: customerId } });
const rewardOf = async (kind: string) => db.reward.findFirstOrThrow({ where: { shop: { domain: shop }, kind: kind as never } });

describe("redemption on Shopify", () => {
  it("creates a single-use discount code limited to the member", async () => {
    const m = await member();
    const result = await redeem(db, { shopDomain: shop, memberId: m.id, rewardId: (await rewardOf("FIXED_AMOUNT")).id, requestId: "s1" });
    if (!result.ok) throw new Error(result.reason);
    expect(await issueRedemption(db, result.redemption.id, await issuer())).toBe("issued");
    const discount = emulator.snapshot().discounts.find((d) => d.codes.includes(result.redemption.code))!;
    expect(discount).toMatchObject({
      type: "DiscountCodeBasic",
      usageLimit: 1,
      appliesOncePerCustomer: true,
      context: { kind: "customers", customerIds: [`gid://shopify/Customer/${customerId}`] },
      customerGets: { value: { amount: "5.00" } },
    });
    const saved = await db.redemption.findUniqueOrThrow({ where: { id: result.redemption.id } });
    expect(saved.platformDiscountId).toBe(discount.id);
  });

  it("creates free shipping for a Silver member", async () => {
    const m = await member();
    const result = await redeem(db, { shopDomain: shop, memberId: m.id, rewardId: (await rewardOf("FREE_SHIPPING")).id, requestId: "s2" });
    if (!result.ok) throw new Error(result.reason);
    expect(await issueRedemption(db, result.redemption.id, await issuer())).toBe("issued");
    expect(emulator.snapshot().discounts.find((d) => d.codes.includes(result.redemption.code))?.type).toBe("DiscountCodeFreeShipping");
  });

  it("waits out THROTTLED answers and 5xx answers, then succeeds", async () => {
    const m = await member();
    const result = await redeem(db, { shopDomain: shop, memberId: m.id, rewardId: (await rewardOf("PERCENTAGE")).id, requestId: "s3" });
    if (!result.ok) throw new Error(result.reason);
    const waits: number[] = [];
    emulator.faults.throttleNext(2);
    emulator.faults.failNext(500, { count: 1 });
    const outcome = await issueRedemption(db, result.redemption.id, await issuer({ sleep: async (ms) => void waits.push(ms) }));
    expect(outcome).toBe("issued");
    expect(waits.length).toBeGreaterThanOrEqual(3);
    expect(emulator.snapshot().discounts.filter((d) => d.codes.includes(result.redemption.code))).toHaveLength(1);
  });

  it("finishes a redemption whose code was created before a crash, without a second code", async () => {
    const m = await member();
    const result = await redeem(db, { shopDomain: shop, memberId: m.id, rewardId: (await rewardOf("FIXED_AMOUNT")).id, requestId: "s4" });
    if (!result.ok) throw new Error(result.reason);
    // The platform created the code, then the process died before recording it.
    const { admin } = await unauthenticated.admin(shop);
    const terms = JSON.parse(result.redemption.terms);
    const created = await shopifyDiscountIssuer(admin.graphql).create({
      code: result.redemption.code, title: "t", terms, platformCustomerId: customerId, customerEmail: null,
      startsAt: result.redemption.createdAt, endsAt: result.redemption.expiresAt,
    });
    expect(created.ok).toBe(true);
    const counts = await recoverPendingRedemptions(db, shop, await issuer(), { now: new Date(Date.now() + 10 * 60_000) });
    expect(counts.issued).toBe(1);
    expect(emulator.snapshot().discounts.filter((d) => d.codes.includes(result.redemption.code))).toHaveLength(1);
    // A retry of the create itself finds the code already there and reports it as ours.
    expect(await issueRedemption(db, result.redemption.id, await issuer())).toBe("already_done");
  });

  it("gives the points back when Shopify refuses the code", async () => {
    const m0 = await member();
    const reward = await db.reward.create({
      data: { shopId: m0.shopId, kind: "FREE_PRODUCT", name: "Free mug", pointsCost: 100, variantId: "999999" },
    });
    const result = await redeem(db, { shopDomain: shop, memberId: m0.id, rewardId: reward.id, requestId: "s5" });
    if (!result.ok) throw new Error(result.reason);
    expect((await member()).balance).toBe(m0.balance - 100);
    expect(await issueRedemption(db, result.redemption.id, await issuer())).toBe("compensated");
    expect((await member()).balance).toBe(m0.balance);
    expect((await db.redemption.findUniqueOrThrow({ where: { id: result.redemption.id } })).failureReason).toMatch(/variant|product/i);
  });

  it("issues pending codes and syncs tiers from the outbox", async () => {
    const m = await member();
    const result = await redeem(db, { shopDomain: shop, memberId: m.id, rewardId: (await rewardOf("FIXED_AMOUNT")).id, requestId: "outbox-1" });
    if (!result.ok) throw new Error(result.reason);
    const counts = await deliverOutbox(db, shopifyOutboxHandlers, { now: new Date(Date.now() + 60_000) });
    expect(counts.delivered).toBeGreaterThanOrEqual(2);
    expect(counts.retried + counts.dead).toBe(0);
    expect((await db.redemption.findUniqueOrThrow({ where: { id: result.redemption.id } })).status).toBe("ISSUED");
    const synced = emulator.snapshot().customers.find((c) => c.id === `gid://shopify/Customer/${customerId}`)!;
    expect(synced.tags).toContain("tierwise-gold");
  });

  it("writes the member's tier to the customer as a tag and app metafields", async () => {
    const { admin } = await unauthenticated.admin(shop);
    const m = await member();
    await syncMemberTier(db, admin.graphql, m.id);
    const synced = emulator.snapshot().customers.find((c) => c.id === `gid://shopify/Customer/${customerId}`)!;
    expect(synced.tags).toContain("tierwise-gold");
    expect(synced.tags).not.toContain("tierwise-bronze");
    expect(synced.metafields.map((f) => [f.key, f.value]).sort()).toEqual([["points", String(m.balance)], ["tier", "Gold"]]);
  });
});
