import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { localYear, windowStart, zonedTime } from "../../app/loyalty/period";

/** The local year by formatting the instant in the zone: what localYear computed before it kept a table. */
function formattedYear(at: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric" }).format(at));
}

const ZONES = ["UTC", "Europe/Warsaw", "America/New_York", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kathmandu", "Australia/Lord_Howe", "America/St_Johns"];
const YEAR_MS = 365.25 * 86_400_000;

describe("calendar-year windows", () => {
  it("give the local year and its start that formatting the instant in the zone gives, near year ends too", () => {
    const instant = fc.oneof(
      fc.integer({ min: Date.UTC(1995, 0, 1), max: Date.UTC(2045, 0, 1) }),
      // Within a day of some zone's new year, to the millisecond.
      fc.tuple(fc.integer({ min: 1995, max: 2045 }), fc.constantFrom(...ZONES), fc.integer({ min: -86_400_000, max: 86_400_000 }))
        .map(([year, zone, offset]) => zonedTime(year, 1, 1, zone).getTime() + offset),
    );
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), (ms, zone) => {
        const at = new Date(ms);
        const year = formattedYear(at, zone);
        expect(localYear(at, zone)).toBe(year);
        const start = windowStart(at, "CALENDAR_YEAR", zone)!;
        expect(start.getTime()).toBe(zonedTime(year, 1, 1, zone).getTime());
        expect(start.getTime()).toBeLessThanOrEqual(ms);
        expect(ms - start.getTime()).toBeLessThan(YEAR_MS + 86_400_000);
      }),
      { numRuns: 3_000 },
    );
  });
});
