import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addMonths } from "../../app/loyalty/expiry";

/**
 * addMonths computes the date from its fields; the oracle here walks the calendar with the Date
 * setters instead: the same month `months` later, the same time of day, the day clamped to that
 * month's length (found as "day 0 of the month after").
 */
function calendarWalk(date: Date, months: number): Date {
  const target = new Date(date.getTime());
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const probe = new Date(target.getTime());
  probe.setUTCMonth(probe.getUTCMonth() + 1, 0);
  target.setUTCDate(Math.min(date.getUTCDate(), probe.getUTCDate()));
  return target;
}

describe("addMonths", () => {
  it("clamps to the month's last day, keeps the time of day, and crosses years both ways", () => {
    const at = (iso: string, months: number) => addMonths(new Date(iso), months).toISOString();
    expect(at("2026-01-31T10:00:00.000Z", 1)).toBe("2026-02-28T10:00:00.000Z");
    expect(at("2028-01-31T23:59:59.999Z", 1)).toBe("2028-02-29T23:59:59.999Z");
    expect(at("2024-02-29T00:00:00.000Z", 12)).toBe("2025-02-28T00:00:00.000Z");
    expect(at("2024-02-29T00:00:00.000Z", 48)).toBe("2028-02-29T00:00:00.000Z");
    expect(at("1900-01-31T06:00:00.000Z", 1)).toBe("1900-02-28T06:00:00.000Z");
    expect(at("2000-01-31T06:00:00.000Z", 1)).toBe("2000-02-29T06:00:00.000Z");
    expect(at("2026-03-31T12:00:00.000Z", -1)).toBe("2026-02-28T12:00:00.000Z");
    expect(at("2026-01-15T12:00:00.000Z", -13)).toBe("2024-12-15T12:00:00.000Z");
    expect(at("1969-12-31T23:30:00.000Z", 2)).toBe("1970-02-28T23:30:00.000Z");
  });

  it("agrees with walking the calendar, for any date from year 100 to 9999 and any shift of up to 100 years", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("0100-01-01T00:00:00.000Z"), max: new Date("9899-12-31T23:59:59.999Z"), noInvalidDate: true }),
        fc.integer({ min: -1200, max: 1200 }),
        (date, months) => {
          expect(addMonths(date, months).getTime()).toBe(calendarWalk(date, months).getTime());
        },
      ),
      { numRuns: 20_000 },
    );
  });
});
