import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabaseFile } from "../support/database-file";

/**
 * The platform-neutral storefront status (app/loyalty/status.server.ts) on a real SQLite file:
 * distance in points or in money, the top tier, rewards a member's tier and balance allow, points
 * expiring soon, and what a visitor or a redacted member gets.
 */
process.env.DATABASE_URL = `file:${freshDatabaseFile()}`;
const { default: db } = await import("../../app/db.server");
const { installShop } = await import("../../app/loyalty/program.server");
const { processEvent } = await import("../../app/loyalty/events.server");
const { storefrontStatus } = await import("../../app/loyalty/status.server");
const { customer, line, order, DAY } = await import("../support/facts");

const points = "status-points.myshopify.com";
const spend = "status-spend.myshopify.com";
const now = new Date("2026-06-01T12:00:00Z");
const buy = (shop: string, id: string, who: string, cents: number, at = new Date("2026-03-01T12:00:00Z")) =>
  processEvent(db, { shopDomain: shop, dedupeKey: id, topic: "t" }, { type: "order", order: order(id, customer(who), [line("l", cents)], { processedAt: at }) });

beforeAll(async () => {
  await installShop(db, points);
  await installShop(db, spend, { currency: "PLN" });
  // Spend tiers: Silver from 500.00 PLN, Gold from 1,500.00 PLN.
  const shop = await db.shop.findUniqueOrThrow({ where: { domain: spend } });
  await db.program.update({ where: { shopId: shop.id }, data: { tierBasis: "SPEND" } });
  await db.tier.updateMany({ where: { shopId: shop.id, name: "Silver" }, data: { threshold: 50_000 } });
  await db.tier.updateMany({ where: { shopId: shop.id, name: "Gold" }, data: { threshold: 150_000 } });

  await buy(points, "p1", "1", 20_000); // 100 welcome + 200: Bronze, 200 from Silver
  await buy(points, "p2", "2", 120_000); // 100 + 1,200: Gold, the top tier
  await buy(spend, "s1", "3", 80_000); // 800.00 PLN spent: Silver, 700.00 PLN from Gold
});
afterAll(() => db.$disconnect());

describe("storefront status", () => {
  it("counts the distance to the next tier in points when tiers qualify on points", async () => {
    const status = await storefrontStatus(db, { shopDomain: points, platformCustomerId: "1" }, now);
    expect(status?.viewer).toBe("member");
    expect(status?.member).toMatchObject({
      balance: 300,
      tier: { name: "Bronze" },
      nextTier: { name: "Silver", threshold: 500, remaining: 200, progressPercent: 60 },
      qualifying: { basis: "POINTS", amount: 300 },
      expiring: null,
      codes: [],
    });
    // 300 points buy the "any amount" reward (in steps of 100) but not 5 off (500); free shipping needs Silver.
    expect(status?.member?.rewards.map((r) => [r.name, r.maxAffordable])).toEqual([["Points for money off", 300]]);
  });

  it("counts the distance in money when tiers qualify on spend", async () => {
    const status = await storefrontStatus(db, { shopDomain: spend, platformCustomerId: "3" }, now);
    expect(status?.program).toMatchObject({ tierBasis: "SPEND", currency: "PLN", currencyDecimals: 2 });
    expect(status?.member).toMatchObject({
      tier: { name: "Silver" },
      nextTier: { name: "Gold", remaining: 70_000, progressPercent: 30 },
      qualifying: { basis: "SPEND", amount: 80_000 },
    });
  });

  it("has no next tier at the top, and offers tier-only rewards to members of that tier", async () => {
    const status = await storefrontStatus(db, { shopDomain: points, platformCustomerId: "2" }, now);
    expect(status?.member?.tier?.name).toBe("Gold");
    expect(status?.member?.nextTier).toBeNull();
    expect(status?.member?.rewards.map((r) => r.name).sort()).toEqual(["10% off", "5 off", "Free shipping", "Points for money off"]);
  });

  it("shows points that expire within 30 days, not later ones", async () => {
    const member = await db.member.findFirstOrThrow({ where: { shop: { domain: points }, platformCustomerId: "1" } });
    const [welcome, earned] = await db.ledgerEntry.findMany({ where: { memberId: member.id }, orderBy: { occurredAt: "asc" } });
    await db.ledgerEntry.update({ where: { id: welcome.id }, data: { expiresAt: new Date(now.getTime() + 10 * DAY) } });
    await db.ledgerEntry.update({ where: { id: earned.id }, data: { expiresAt: new Date(now.getTime() + 90 * DAY) } });
    const status = await storefrontStatus(db, { shopDomain: points, platformCustomerId: "1" }, now);
    expect(status?.member?.expiring).toEqual({ points: 100, at: new Date(now.getTime() + 10 * DAY).toISOString() });
  });

  it("gives a visitor, an unknown customer and a redacted member no member data", async () => {
    const guest = await storefrontStatus(db, { shopDomain: points, platformCustomerId: null }, now);
    expect(guest).toMatchObject({ viewer: "guest", member: null });
    expect(guest?.program.rewards.map((r) => r.name)).toEqual(["Points for money off", "Free shipping", "5 off", "10% off"]);
    expect(guest?.program.rewards.find((r) => r.name === "Free shipping")?.minimumTier).toBe("Silver");
    expect(await storefrontStatus(db, { shopDomain: points, platformCustomerId: "999" }, now)).toMatchObject({ viewer: "customer", member: null });
    await db.member.updateMany({ where: { shop: { domain: points }, platformCustomerId: "2" }, data: { redactedAt: now } });
    expect(await storefrontStatus(db, { shopDomain: points, platformCustomerId: "2" }, now)).toMatchObject({ viewer: "customer", member: null });
    expect(await storefrontStatus(db, { shopDomain: "nobody.myshopify.com", platformCustomerId: null }, now)).toBeNull();
  });
});
