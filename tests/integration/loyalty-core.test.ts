import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@prisma/client";
import { processEvent } from "../../app/loyalty/events.server";
import { appendEntry, checkMember } from "../../app/loyalty/ledger.server";
import { installShop } from "../../app/loyalty/program.server";
import type { LoyaltyEvent } from "../../app/loyalty/types";
import { freshDatabase } from "../support/database";
import { customer, DAY, line, order, refund } from "../support/facts";

let db: PrismaClient;
let seq = 0;

beforeAll(() => {
  db = freshDatabase().db;
});
afterAll(() => db.$disconnect());

async function newShop(program: Record<string, unknown> = {}) {
  const domain = `core-${++seq}.myshopify.com`;
  const shop = await installShop(db, domain);
  if (Object.keys(program).length) await db.program.update({ where: { shopId: shop.id }, data: program });
  return { domain, shop };
}

const deliver = (domain: string, event: LoyaltyEvent, key = `k-${++seq}`) =>
  processEvent(db, { shopDomain: domain, dedupeKey: key, topic: "test" }, event);

async function member(domain: string, customerId: string) {
  const shop = await db.shop.findUniqueOrThrow({ where: { domain } });
  const m = await db.member.findUniqueOrThrow({
    where: { shopId_platformCustomerId: { shopId: shop.id, platformCustomerId: customerId } },
    include: { tier: true },
  });
  expect(await checkMember(db, m)).toEqual([]);
  return m;
}

describe("the loyalty core", () => {
  it("enrolls a customer with an account and gives the welcome points once", async () => {
    const { domain } = await newShop();
    const ada = customer("c1");
    await deliver(domain, { type: "customer", customer: ada });
    await deliver(domain, { type: "customer", customer: { ...ada, firstName: "Augusta" } });
    const m = await member(domain, "c1");
    expect(m.balance).toBe(100);
    expect(m.firstName).toBe("Augusta");
    expect(m.tier?.name).toBe("Bronze");
  });

  it("awards points on what was paid for goods and upgrades the tier at once", async () => {
    const { domain } = await newShop();
    const ada = customer("c1");
    await deliver(domain, { type: "order", order: order("o1", ada, [line("l1", 45_000)], { shippingMinor: 999 }) });
    const m = await member(domain, "c1");
    // 100 welcome + 450 purchase = 550 -> Silver (500)
    expect(m.balance).toBe(550);
    expect(m.lifetimePoints).toBe(550);
    expect(m.tier?.name).toBe("Silver");
    const changes = await db.tierChange.count({ where: { memberId: m.id, direction: "UP" } });
    expect(changes).toBe(1);
    expect(await db.outboxMessage.count({ where: { kind: "tier.changed" } })).toBeGreaterThan(0);
  });

  it("applies the multiplier of the tier held when the order was placed", async () => {
    const { domain } = await newShop();
    const ada = customer("c1");
    await deliver(domain, { type: "order", order: order("o1", ada, [line("l1", 45_000)], { processedAt: new Date("2025-02-01T00:00:00Z") }) });
    await deliver(domain, { type: "order", order: order("o2", ada, [line("l1", 10_000)], { processedAt: new Date("2025-03-01T00:00:00Z") }) });
    const m = await member(domain, "c1");
    expect(m.balance).toBe(100 + 450 + 125);
  });

  it("gives a late-arriving earlier order's effect on later multipliers, as if in order", async () => {
    const { domain } = await newShop();
    const ada = customer("c1");
    await deliver(domain, { type: "order", order: order("o2", ada, [line("l1", 10_000)], { processedAt: new Date("2025-03-01T00:00:00Z") }) });
    await deliver(domain, { type: "order", order: order("o1", ada, [line("l1", 45_000)], { processedAt: new Date("2025-02-01T00:00:00Z") }) });
    const m = await member(domain, "c1");
    expect(m.balance).toBe(100 + 450 + 125);
  });

  it("reverses refunds in proportion and a cancellation in full", async () => {
    const { domain } = await newShop();
    const ada = customer("c1");
    const t = new Date("2025-02-01T00:00:00Z");
    const o = order("o1", ada, [line("l1", 20_000), line("l2", 10_000)], { processedAt: t });
    await deliver(domain, { type: "order", order: o });
    await deliver(domain, { type: "refund", platformOrderId: "o1", refund: refund("r1", new Date(t.getTime() + DAY), [{ lineId: "l2", quantity: 1, subtotalMinor: 10_000, taxMinor: 0 }]) });
    expect((await member(domain, "c1")).balance).toBe(100 + 300 - 100);
    await deliver(domain, { type: "order", order: { ...o, cancelledAt: new Date(t.getTime() + 2 * DAY) } });
    const m = await member(domain, "c1");
    expect(m.balance).toBe(100);
    expect(m.lifetimePoints).toBe(100);
  });

  it("awards nothing for a paid delivery that arrives after the refund", async () => {
    const { domain } = await newShop();
    const ada = customer("c1");
    const t = new Date("2025-02-01T00:00:00Z");
    await deliver(domain, { type: "customer", customer: ada });
    await deliver(domain, { type: "refund", platformOrderId: "o1", refund: refund("r1", new Date(t.getTime() + DAY), [{ lineId: "l1", quantity: 1, subtotalMinor: 20_000, taxMinor: 0 }]) });
    expect((await member(domain, "c1")).balance).toBe(100);
    await deliver(domain, { type: "order", order: order("o1", ada, [line("l1", 20_000)], { processedAt: t }) });
    const m = await member(domain, "c1");
    expect(m.balance).toBe(100);
  });

  /** A member with 200 points from order o1 (no welcome points) who then spends 150 of them. */
  async function memberWhoSpent(policy: "FLOOR_AT_ZERO" | "ALLOW_DEBT") {
    const { domain, shop } = await newShop({ negativeBalancePolicy: policy });
    await db.earningRule.update({ where: { shopId_kind: { shopId: shop.id, kind: "SIGNUP" } }, data: { points: 0 } });
    const ada = customer("c1");
    const t = new Date("2025-02-01T00:00:00Z");
    await deliver(domain, { type: "order", order: order("o1", ada, [line("l1", 20_000)], { processedAt: t }) });
    const before = await member(domain, "c1");
    // A redemption is a debit like any other.
    await db.$transaction((tx) =>
      appendEntry(tx, { ...before }, policy, { kind: "REDEMPTION", points: -150, qualifying: false, reason: "test", sourceType: "redemption", idempotencyKey: `spend:${domain}`, occurredAt: t }),
    );
    const cancelO1 = () =>
      deliver(domain, { type: "order", order: order("o1", ada, [line("l1", 20_000)], { processedAt: t, cancelledAt: new Date(t.getTime() + DAY) }) });
    return { domain, ada, t, cancelO1 };
  }

  it("floors a balance at zero by default and records what was waived", async () => {
    const { domain, cancelO1 } = await memberWhoSpent("FLOOR_AT_ZERO");
    await cancelO1();
    const m = await member(domain, "c1");
    expect(m.balance).toBe(0);
    const reversal = await db.ledgerEntry.findFirstOrThrow({ where: { memberId: m.id, kind: "ORDER_REVERSAL" } });
    expect(reversal.points).toBe(-50);
    expect(reversal.waivedPoints).toBe(150);
  });

  it("lets the balance go negative when the merchant allows debt, and pays the debt first", async () => {
    const { domain, ada, t, cancelO1 } = await memberWhoSpent("ALLOW_DEBT");
    await cancelO1();
    expect((await member(domain, "c1")).balance).toBe(-150);
    await deliver(domain, { type: "order", order: order("o2", ada, [line("l1", 50_000)], { processedAt: new Date(t.getTime() + 3 * DAY) }) });
    expect((await member(domain, "c1")).balance).toBe(350);
  });

  it("waits for fulfillment when the merchant awards on fulfillment", async () => {
    const { domain } = await newShop({ awardOn: "FULFILLED" });
    const ada = customer("c1");
    const o = order("o1", ada, [line("l1", 20_000)]);
    await deliver(domain, { type: "order", order: o });
    expect((await member(domain, "c1")).balance).toBe(100);
    await deliver(domain, { type: "order", order: { ...o, paidAt: null, fulfilledAt: new Date("2025-02-03T00:00:00Z") } });
    expect((await member(domain, "c1")).balance).toBe(300);
  });

  it("credits guest orders when the email becomes a member, if the merchant enables it", async () => {
    for (const matching of [true, false]) {
      const { domain } = await newShop({ guestOrderMatching: matching });
      const guest = customer("c9", { hasAccount: false, email: "Guest@Example.com" });
      await deliver(domain, { type: "order", order: order("o1", guest, [line("l1", 20_000)]) });
      await deliver(domain, { type: "order", order: order("o2", null, [line("l1", 10_000)], { email: "guest@example.com" }) });
      expect(await db.member.count({ where: { shop: { domain } } })).toBe(0);
      await deliver(domain, { type: "customer", customer: customer("c10", { email: "guest@example.com" }) });
      expect((await member(domain, "c10")).balance).toBe(matching ? 100 + 300 : 100);
    }
  });

  it("does not apply the same delivery twice", async () => {
    const { domain } = await newShop();
    const event: LoyaltyEvent = { type: "order", order: order("o1", customer("c1"), [line("l1", 20_000)]) };
    const first = await deliver(domain, event, "same");
    const second = await deliver(domain, event, "same");
    expect(first.status).toBe("processed");
    expect(second.status).toBe("duplicate");
    expect((await member(domain, "c1")).balance).toBe(300);
  });

  it("never rewrites an awarded order when the program changes later", async () => {
    const { domain, shop } = await newShop();
    const ada = customer("c1");
    const t = new Date("2025-02-01T00:00:00Z");
    await deliver(domain, { type: "order", order: order("o1", ada, [line("l1", 20_000)], { processedAt: t }) });
    await db.earningRule.update({ where: { shopId_kind: { shopId: shop.id, kind: "PURCHASE" } }, data: { points: 10 } });
    await deliver(domain, { type: "refund", platformOrderId: "o1", refund: refund("r1", new Date(t.getTime() + DAY), [{ lineId: "l1", quantity: 1, subtotalMinor: 10_000, taxMinor: 0 }]) });
    expect((await member(domain, "c1")).balance).toBe(100 + 200 - 100);
  });
});
