import type { TierPeriod } from "./types";

/** Building a formatter costs far more than using one; timelines ask for thousands of instants. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function zonedParts(at: Date, timeZone: string) {
  const parts = formatterFor(timeZone).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get("year"), month: get("month"), day: get("day"), hour: get("hour"), minute: get("minute"), second: get("second") };
}

/** The instant of a wall-clock time in a time zone (exact except inside a DST gap). */
export function zonedTime(year: number, month: number, day: number, timeZone: string): Date {
  const guess = Date.UTC(year, month - 1, day);
  const p = zonedParts(new Date(guess), timeZone);
  const offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - guess;
  return new Date(guess - offset);
}

export function localYear(at: Date, timeZone: string): number {
  return zonedParts(at, timeZone).year;
}

/**
 * Start (exclusive bound is the caller's business) of the qualification window that ends at `at`;
 * null for lifetime. Calendar years follow the shop's time zone.
 */
export function windowStart(at: Date, period: TierPeriod, timeZone: string): Date | null {
  if (period === "LIFETIME") return null;
  if (period === "CALENDAR_YEAR") return zonedTime(localYear(at, timeZone), 1, 1, timeZone);
  const start = new Date(at.getTime());
  start.setUTCFullYear(start.getUTCFullYear() - 1);
  return start;
}
