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

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether a year (proleptic Gregorian, as Date's) has a 29 February. */
export function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** The days of a month (0-11, as Date's) of a year. */
export function daysInMonth(year: number, month: number): number {
  return month === 1 && isLeapYear(year) ? 29 : MONTH_DAYS[month];
}

/** The instant of a wall-clock time in a time zone (exact except inside a DST gap). */
export function zonedTime(year: number, month: number, day: number, timeZone: string): Date {
  const guess = Date.UTC(year, month - 1, day);
  const p = zonedParts(new Date(guess), timeZone);
  const offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - guess;
  return new Date(guess - offset);
}

/**
 * The instant each local year starts in a time zone, where zonedTime's is exact to the
 * millisecond (the instant is in that year and the one before it is not); null where it is not.
 * With exact bounds, an instant's local year is found by comparing numbers instead of formatting
 * it in the zone (timelines ask for it once per contribution).
 */
const yearStarts = new Map<string, Map<number, number | null>>();
function exactYearStart(year: number, timeZone: string): number | null {
  let years = yearStarts.get(timeZone);
  if (!years) yearStarts.set(timeZone, (years = new Map()));
  let start = years.get(year);
  if (start === undefined) {
    const at = zonedTime(year, 1, 1, timeZone).getTime();
    const exact = zonedParts(new Date(at), timeZone).year === year && zonedParts(new Date(at - 1), timeZone).year === year - 1;
    years.set(year, (start = exact ? at : null));
  }
  return start;
}

/** The local year of `at` from the exact year starts (the local year is the UTC one or next to it), or null. */
function tabledLocalYear(at: number, timeZone: string): number | null {
  const year = new Date(at).getUTCFullYear();
  for (const candidate of [year - 1, year, year + 1]) {
    const start = exactYearStart(candidate, timeZone);
    const next = exactYearStart(candidate + 1, timeZone);
    if (start !== null && next !== null && at >= start && at < next) return candidate;
  }
  return null;
}

export function localYear(at: Date, timeZone: string): number {
  return tabledLocalYear(at.getTime(), timeZone) ?? zonedParts(at, timeZone).year;
}

/**
 * Start (exclusive bound is the caller's business) of the qualification window that ends at `at`;
 * null for lifetime. Calendar years follow the shop's time zone.
 */
export function windowStart(at: Date, period: TierPeriod, timeZone: string): Date | null {
  if (period === "LIFETIME") return null;
  if (period === "CALENDAR_YEAR") {
    const year = tabledLocalYear(at.getTime(), timeZone);
    const start = year === null ? null : exactYearStart(year, timeZone);
    return start !== null ? new Date(start) : zonedTime(localYear(at, timeZone), 1, 1, timeZone);
  }
  const start = new Date(at.getTime());
  start.setUTCFullYear(start.getUTCFullYear() - 1);
  return start;
}
