import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addMonths, dueByCutoff } from "../../app/loyalty/expiry";
import { peakOfCredits, priceFromHistory, windowStartAt } from "../../app/loyalty/history-pricing";
import { windowStart } from "../../app/loyalty/period";
import { memberTimeline, type TimelineCredit, type TimelineOrder } from "../../app/loyalty/timeline";
import type { EarnBasis, TierPeriod } from "../../app/loyalty/types";

/** The batch passes' shortcuts against the functions they stand in for. */

const ZONES = ["UTC", "Europe/Warsaw", "America/New_York", "Pacific/Auckland", "Asia/Kolkata", "America/St_Johns"];
const PERIODS: TierPeriod[] = ["LIFETIME", "CALENDAR_YEAR", "ROLLING_12_MONTHS"];
const T0 = Date.UTC(2022, 0, 1);
const SPAN = 4 * 365 * 86_400_000;

const ladder = [
  { tierId: "bronze", threshold: 0, multiplierPercent: 100 },
  { tierId: "silver", threshold: 500, multiplierPercent: 125 },
  { tierId: "gold", threshold: 1000, multiplierPercent: 150 },
];
const spendLadder = [
  { tierId: "bronze", threshold: 0, multiplierPercent: 100 },
  { tierId: "silver", threshold: 50_000, multiplierPercent: 150 },
  { tierId: "gold", threshold: 120_000, multiplierPercent: 200 },
];

const basisArb = fc.record({
  tierBasis: fc.constantFrom<"POINTS" | "SPEND">("POINTS", "SPEND"),
  tierPeriod: fc.constantFrom(...PERIODS),
  timezone: fc.constantFrom(...ZONES),
  rounding: fc.constantFrom<"DOWN" | "NEAREST" | "UP">("DOWN", "NEAREST", "UP"),
});

const historyArb = fc
  .record({
    bases: fc.array(basisArb, { minLength: 1, maxLength: 2 }),
    orders: fc.array(
      fc.record({
        at: fc.integer({ min: 0, max: SPAN }),
        eligible: fc.integer({ min: 0, max: 90_000 }),
        basis: fc.nat(1),
        refunds: fc.array(fc.record({ after: fc.integer({ min: -5, max: 400 }), amount: fc.integer({ min: 0, max: 60_000 }) }), { maxLength: 3 }),
        cancelAfter: fc.option(fc.integer({ min: -3, max: 200 }), { freq: 5 }),
      }),
      { maxLength: 8 },
    ),
    credits: fc.array(fc.record({ at: fc.integer({ min: 0, max: SPAN }), points: fc.integer({ min: -300, max: 700 }) }), { maxLength: 6 }),
  })
  .map(({ bases, orders, credits }) => {
    const day = 86_400_000;
    const timelineOrders: TimelineOrder[] = orders.map((o, i) => {
      const b = bases[o.basis % bases.length];
      const basis: EarnBasis = {
        points: 1, spendMinor: 100, rounding: b.rounding, includeShipping: false, includeTaxes: false, excludedProductIds: [],
        ladder: b.tierBasis === "POINTS" ? ladder : spendLadder, tierBasis: b.tierBasis, tierPeriod: b.tierPeriod, timezone: b.timezone,
      };
      const placed = T0 + o.at;
      return {
        id: `o${i}`,
        processedAt: new Date(placed),
        basis,
        eligibleMinor: o.eligible,
        refunds: o.refunds.map((r, j) => ({ refundId: `r${j}`, at: new Date(placed + r.after * day), refundedEligibleMinor: r.amount })),
        cancelledAt: o.cancelAfter === null ? null : new Date(placed + o.cancelAfter * day),
      };
    });
    const timelineCredits: TimelineCredit[] = credits.map((c, i) => ({ id: `c${i}`, at: new Date(T0 + c.at), points: c.points }));
    return { orders: timelineOrders, credits: timelineCredits };
  });

describe("pricing orders from history (the period-end pass's shortcut)", () => {
  it("gives every order the points and reversals memberTimeline gives it once the baseline is past all of them", () => {
    fc.assert(
      fc.property(historyArb, fc.constantFrom("bronze", "silver", "gold", null), ({ orders, credits }, baselineTier) => {
        const after = new Date(T0 + SPAN + 400 * 86_400_000);
        const real = memberTimeline({
          orders,
          credits,
          current: { ladder, basis: "POINTS", period: "CALENDAR_YEAR", timezone: "UTC" },
          baseline: { tierId: baselineTier, at: after },
        });
        const priced = priceFromHistory(orders, credits);
        expect([...priced].sort()).toEqual([...real.orders].map(([id, o]) => [id, { earned: o.earned, reversed: o.reversed }]).sort());
      }),
      { numRuns: 150 },
    );
  });

  it("finds the same window starts as windowStart, calendar years from a table per time zone", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1995, 0, 1), max: Date.UTC(2045, 0, 1) }), fc.constantFrom(...ZONES), fc.constantFrom(...PERIODS), (at, zone, period) => {
        expect(windowStartAt(at, period, zone)).toBe(windowStart(new Date(at), period, zone)?.getTime() ?? null);
      }),
      { numRuns: 400 },
    );
    // Around New Year, where the local year and the UTC year differ.
    for (const zone of ZONES) {
      for (const offsetHours of [-15, -14, -13, -5, -1, 0, 1, 5, 13, 14, 15]) {
        const at = Date.UTC(2026, 0, 1) + offsetHours * 3_600_000;
        expect(windowStartAt(at, "CALENDAR_YEAR", zone)).toBe(windowStart(new Date(at), "CALENDAR_YEAR", zone)!.getTime());
        expect(windowStartAt(at - 1, "CALENDAR_YEAR", zone)).toBe(windowStart(new Date(at - 1), "CALENDAR_YEAR", zone)!.getTime());
      }
    }
  });

  it("takes the peak of non-negative credits as the highest sum inside any window that ends at a credit", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.integer({ min: 0, max: SPAN }), points: fc.integer({ min: 0, max: 400 }) }), { maxLength: 10 }),
        fc.constantFrom(...PERIODS),
        fc.constantFrom(...ZONES),
        (raw, period, zone) => {
          const credits = raw.map((c) => ({ at: T0 + c.at, points: c.points }));
          let best = 0;
          for (const end of credits) {
            const start = windowStart(new Date(end.at), period, zone)?.getTime() ?? Number.NEGATIVE_INFINITY;
            best = Math.max(best, credits.filter((c) => c.at >= start && c.at <= end.at).reduce((s, c) => s + c.points, 0));
          }
          expect(peakOfCredits(credits, { period, timezone: zone })).toBe(best);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("the expiry pass's candidate bound", () => {
  it("puts every credit that is due by the horizon strictly before dueByCutoff, month-end clamping included", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: -3 * 86_400_000, max: 40 * 86_400_000 }),
        (horizon, months, back) => {
          // Credits from just around the cutoff, where clamping (31 Jan + 1 month = 28 Feb) bites.
          const cutoff = dueByCutoff(new Date(horizon), months).getTime();
          const t = cutoff - back;
          if (addMonths(new Date(t), months).getTime() <= horizon) expect(t).toBeLessThan(cutoff);
        },
      ),
      { numRuns: 3_000 },
    );
    // The clamped month ends themselves: 28/29 February and 30 April as the horizon.
    for (const horizon of ["2026-02-28T10:00:00Z", "2024-02-29T10:00:00Z", "2026-04-30T23:59:59Z", "2026-03-01T00:00:00Z"]) {
      const h = new Date(horizon).getTime();
      for (const months of [1, 2, 3, 6, 12, 13]) {
        const cutoff = dueByCutoff(new Date(h), months).getTime();
        for (let t = cutoff - 6 * 86_400_000; t < cutoff + 86_400_000; t += 3_600_000) {
          if (addMonths(new Date(t), months).getTime() <= h) expect(t).toBeLessThan(cutoff);
        }
      }
    }
  });
});
