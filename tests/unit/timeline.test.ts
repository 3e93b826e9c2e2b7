import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { memberTimeline, stepFor, type TierRules, type TimelineOrder } from "../../app/loyalty/timeline";
import type { EarnBasis } from "../../app/loyalty/types";
import { windowStart } from "../../app/loyalty/period";

const ladder = [
  { tierId: "bronze", threshold: 0, multiplierPercent: 100 },
  { tierId: "silver", threshold: 500, multiplierPercent: 125 },
  { tierId: "gold", threshold: 1000, multiplierPercent: 150 },
];
const rules = (overrides: Partial<TierRules> = {}): TierRules => ({ ladder, basis: "POINTS", period: "LIFETIME", timezone: "UTC", ...overrides });
const basis = (overrides: Partial<EarnBasis> = {}): EarnBasis => ({
  points: 1, spendMinor: 100, rounding: "DOWN", includeShipping: false, includeTaxes: false, excludedProductIds: [],
  ladder, tierBasis: "POINTS", tierPeriod: "LIFETIME", timezone: "UTC", ...overrides,
});
const at = (iso: string) => new Date(iso);
const order = (id: string, when: string, eligibleMinor: number, extra: Partial<TimelineOrder> = {}): TimelineOrder => ({
  id, processedAt: at(when), basis: basis(), eligibleMinor, refunds: [], cancelledAt: null, ...extra,
});
const none = { tierId: null, at: null };

describe("member timeline", () => {
  it("upgrades as soon as the threshold is reached, and applies the multiplier to later orders", () => {
    const result = memberTimeline({
      orders: [order("a", "2025-01-01", 60_000), order("b", "2025-02-01", 10_000)],
      credits: [],
      current: rules(),
      baseline: none,
    });
    expect(result.orders.get("a")).toMatchObject({ earned: 600, multiplierTierId: "bronze" });
    expect(result.orders.get("b")).toMatchObject({ earned: 125, multiplierTierId: "silver" });
    expect(result.tierId).toBe("silver");
  });

  it("keeps a tier reached earlier even when a refund lowers the points (downgrades wait for evaluation)", () => {
    const result = memberTimeline({
      orders: [order("a", "2025-01-01", 60_000, { refunds: [{ refundId: "r", at: at("2025-01-05"), refundedEligibleMinor: 30_000 }] })],
      credits: [],
      current: rules(),
      baseline: none,
    });
    expect(result.orders.get("a")).toMatchObject({ earned: 600, reversed: 300 });
    expect(result.tierId).toBe("silver");
  });

  it("holds a tier until the period-end evaluation; after it, only the period's window counts", () => {
    const orders = [order("a", "2024-01-01", 60_000), order("b", "2025-03-01", 10_000, { basis: basis({ tierPeriod: "ROLLING_12_MONTHS" }) })];
    const current = rules({ period: "ROLLING_12_MONTHS" });
    expect(memberTimeline({ orders, credits: [], current, baseline: none }).orders.get("b")!.multiplierTierId).toBe("silver");
    // The evaluation on 2025-01-01 found order a outside the window and set the member to Bronze.
    const evaluated = { tierId: "bronze", at: at("2025-01-01") };
    const result = memberTimeline({ orders, credits: [], current, baseline: evaluated });
    expect(result.orders.get("b")!.multiplierTierId).toBe("bronze");
    expect(result.tierId).toBe("bronze");
    const window = memberTimeline({
      orders: [order("c", "2025-01-05", 45_000), order("d", "2025-02-01", 10_000)],
      credits: [{ id: "welcome", at: at("2024-12-31"), points: 100 }],
      current,
      baseline: { tierId: "bronze", at: at("2025-01-01") },
    });
    // 100 + 450 in the last 12 months reach Silver by order d.
    expect(window.orders.get("d")!.multiplierTierId).toBe("silver");
  });

  it("prices an order with the baseline in force when it was placed, so a later period end does not re-price it", () => {
    const calendar = basis({ tierPeriod: "CALENDAR_YEAR" });
    // Silver in 2023 (600 points), dropped to Bronze at the 2025-01-01 evaluation, 100 points of orders in 2025.
    const orders = [order("o2023", "2023-06-01", 60_000, { basis: calendar }), order("o2025", "2025-06-01", 10_000, { basis: calendar })];
    const current = rules({ period: "CALENDAR_YEAR" });
    const y2025 = { tierId: "bronze", at: at("2025-01-01") };
    const during = memberTimeline({ orders, credits: [], current, baseline: y2025 });
    expect(during.orders.get("o2025")).toMatchObject({ earned: 100, multiplierTierId: "bronze" });
    // Bronze kept on 2026-01-01: the 2025 order keeps its price because the 2025 baseline is known.
    const after = memberTimeline({ orders, credits: [], current, baseline: { tierId: "bronze", at: at("2026-01-01") }, earlier: [y2025] });
    expect(after.orders.get("o2025")).toMatchObject({ earned: 100, multiplierTierId: "bronze" });
    expect(after.orders.get("o2023")).toEqual(during.orders.get("o2023"));
    // Without it, history alone (Silver, reached in 2023) would price it.
    const unknown = memberTimeline({ orders, credits: [], current, baseline: { tierId: "bronze", at: at("2026-01-01") } });
    expect(unknown.orders.get("o2025")).toMatchObject({ earned: 125, multiplierTierId: "silver" });
  });

  it("never re-prices an order placed before a period end when the baseline moves on and the old one is kept", () => {
    const tierIds = [null, "bronze", "silver", "gold"];
    const day = 86_400_000;
    const start = Date.UTC(2023, 0, 1);
    fc.assert(
      fc.property(
        fc.constantFrom<TierRules["period"]>("CALENDAR_YEAR", "ROLLING_12_MONTHS", "LIFETIME"),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 4 * 365 }), fc.integer({ min: 0, max: 80_000 }), fc.option(fc.integer({ min: 0, max: 60 }))), { minLength: 1, maxLength: 12 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 4 * 365 }), fc.integer({ min: -200, max: 400 })), { maxLength: 4 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 4 * 365 }), { minLength: 2, maxLength: 4 }),
        fc.array(fc.constantFrom(...tierIds), { minLength: 4, maxLength: 4 }),
        (period, orderFacts, creditFacts, baselineDays, tiers) => {
          const b = basis({ tierPeriod: period });
          const orders = orderFacts.map(([d, minor, refundAfter], i) =>
            order(`o${i}`, new Date(start + d * day).toISOString(), minor, {
              basis: b,
              refunds: refundAfter === null ? [] : [{ refundId: "r", at: new Date(start + (d + refundAfter) * day), refundedEligibleMinor: Math.floor(minor / 2) }],
            }),
          );
          const credits = creditFacts.map(([d, points], i) => ({ id: `c${i}`, at: new Date(start + d * day), points }));
          const chain = [...baselineDays].sort((x, y) => x - y).map((d, i) => ({ tierId: tiers[i], at: new Date(start + d * day) }));
          const current = rules({ period });
          // Each baseline in turn the member's current one, with those before it kept.
          for (let i = 1; i < chain.length; i++) {
            const before = memberTimeline({ orders, credits, current, baseline: chain[i - 1], earlier: chain.slice(0, i - 1) });
            const after = memberTimeline({ orders, credits, current, baseline: chain[i], earlier: chain.slice(0, i) });
            for (const o of orders) {
              if (o.processedAt < chain[i].at) expect(after.orders.get(o.id)).toEqual(before.orders.get(o.id));
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it("starts calendar years at midnight in the shop's time zone", () => {
    expect(windowStart(at("2025-06-01T00:00:00Z"), "CALENDAR_YEAR", "Europe/Warsaw")!.toISOString()).toBe("2024-12-31T23:00:00.000Z");
    expect(windowStart(at("2025-06-01T00:00:00Z"), "CALENDAR_YEAR", "America/New_York")!.toISOString()).toBe("2025-01-01T05:00:00.000Z");
  });

  it("qualifies on spend when the merchant chooses spend", () => {
    const result = memberTimeline({ orders: [order("a", "2025-01-01", 120_000)], credits: [], current: rules({ basis: "SPEND", ladder: [{ tierId: "vip", threshold: 100_000, multiplierPercent: 100 }] }), baseline: none });
    expect(result.tierId).toBe("vip");
  });

  it("never reverses more than was earned and reverses everything on cancellation, whatever the refunds", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 500_000 }),
        fc.array(fc.integer({ min: 0, max: 300_000 }), { maxLength: 4 }),
        fc.boolean(),
        (eligible, refunds, cancelled) => {
          const o = order("a", "2025-01-01", eligible, {
            refunds: refunds.map((amount, i) => ({ refundId: `r${i}`, at: at(`2025-01-0${i + 2}`), refundedEligibleMinor: amount })),
            cancelledAt: cancelled ? at("2025-02-01") : null,
          });
          const outcome = memberTimeline({ orders: [o], credits: [], current: rules(), baseline: none }).orders.get("a")!;
          expect(outcome.reversed).toBeGreaterThanOrEqual(0);
          expect(outcome.reversed).toBeLessThanOrEqual(outcome.earned);
          if (cancelled || refunds.reduce((a, b) => a + b, 0) >= eligible) expect(outcome.reversed).toBe(outcome.earned);
        },
      ),
    );
  });

  it("does not depend on the order in which facts are listed", () => {
    const orderArb = fc.record({ day: fc.integer({ min: 1, max: 28 }), month: fc.integer({ min: 1, max: 12 }), amount: fc.integer({ min: 0, max: 80_000 }), refund: fc.integer({ min: 0, max: 80_000 }) });
    fc.assert(
      fc.property(fc.array(orderArb, { minLength: 1, maxLength: 6 }), fc.integer(), (specs, seed) => {
        const orders = specs.map((s, i) =>
          order(`o${i}`, `2025-${String(s.month).padStart(2, "0")}-${String(s.day).padStart(2, "0")}T00:00:0${i}Z`, s.amount, {
            refunds: s.refund ? [{ refundId: "r", at: at("2025-12-30"), refundedEligibleMinor: s.refund }] : [],
          }),
        );
        const shuffled = [...orders].sort((a, b) => ((a.id.charCodeAt(1) * seed) % 7) - ((b.id.charCodeAt(1) * seed) % 7));
        const one = memberTimeline({ orders, credits: [], current: rules(), baseline: none });
        const two = memberTimeline({ orders: shuffled, credits: [], current: rules(), baseline: none });
        expect([...two.orders.entries()].sort()).toEqual([...one.orders.entries()].sort());
        expect(two.tierId).toBe(one.tierId);
      }),
    );
  });

  it("finds the highest step an amount reaches", () => {
    expect(stepFor(499, ladder)?.tierId).toBe("bronze");
    expect(stepFor(500, ladder)?.tierId).toBe("silver");
    expect(stepFor(5_000, [...ladder].reverse())?.tierId).toBe("gold");
    expect(stepFor(10, [])).toBeNull();
  });
});
