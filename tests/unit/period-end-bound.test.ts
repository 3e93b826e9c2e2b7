import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { notDueFrom, periodEnds } from "../../app/loyalty/period-end.server";
import type { ShopContext } from "../../app/loyalty/shop-context.server";

const ZONES = ["UTC", "Europe/Warsaw", "America/New_York", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Australia/Lord_Howe"];
const PERIODS = ["CALENDAR_YEAR", "ROLLING_12_MONTHS"] as const;
const FROM = Date.UTC(2020, 0, 1);
const UNTIL = Date.UTC(2030, 0, 1);

/** periodEnds reads only the shop's time zone and the program's tier period. */
const context = (tierPeriod: (typeof PERIODS)[number], timezone: string) =>
  ({ shop: { timezone }, program: { tierPeriod } }) as unknown as ShopContext;

describe("notDueFrom: the bound the tier pass prefilters members by in SQL", () => {
  it("leaves out no member periodEnds finds due: a baseline at or after the bound is never due", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PERIODS),
        fc.constantFrom(...ZONES),
        fc.integer({ min: FROM, max: UNTIL }),
        fc.integer({ min: 0, max: 400 * 86_400_000 }),
        fc.integer({ min: 0, max: 3 * 365 * 86_400_000 }),
        (period, zone, now, after, enrolledBefore) => {
          const bound = notDueFrom(period, zone, new Date(now))!;
          expect(bound.getTime()).toBeLessThanOrEqual(now);
          const baseline = new Date(Math.min(now, bound.getTime() + after));
          const member = { tierBaselineAt: baseline, tierSince: baseline, enrolledAt: new Date(baseline.getTime() - enrolledBefore) };
          expect(periodEnds(context(period, zone), new Date(now))(member)).toBeNull();
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it("is exactly the period end under calendar years: a member evaluated just before it is due", () => {
    for (const zone of ZONES) {
      const now = new Date(Date.UTC(2026, 1, 10, 12));
      const bound = notDueFrom("CALENDAR_YEAR", zone, now)!;
      const before = new Date(bound.getTime() - 1);
      expect(periodEnds(context("CALENDAR_YEAR", zone), now)({ tierBaselineAt: before, tierSince: before, enrolledAt: new Date(Date.UTC(2024, 0, 1)) })?.end).toEqual(bound);
    }
  });

  it("lets nobody be due where tiers never expire", () => {
    expect(notDueFrom("LIFETIME", "UTC", new Date())).toBeNull();
  });
});
