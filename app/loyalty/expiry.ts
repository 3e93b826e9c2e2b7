import { daysInMonth } from "./period";

/**
 * Points expiry, as plain functions of a member's unspent credits (pass `now`).
 * - INACTIVITY: the whole balance expires `months` after the member's last activity (an order,
 *   a redemption, a welcome or a staff adjustment; automatic credits like birthdays do not count).
 * - ENTRY_AGE: each credit expires `months` after it was earned (or at its own expiresAt).
 * Debits consume credits oldest first (see ledger.server.ts), so under ENTRY_AGE what expires is
 * the run of oldest credits that are all due, and one FIFO debit of their sum takes exactly them.
 * Usually every due credit is in that run; near a clamped month end it is not (with 1 month, a
 * credit of 31 January 01:00 is due on 28 February 01:00, one of 30 January 23:00 only at 23:00):
 * the younger one then waits for the older, rather than the debit taking the older credit's
 * points early and leaving a due credit behind for a second expiry at the same moment.
 */

export type ExpiryMode = "NEVER" | "INACTIVITY" | "ENTRY_AGE";

export interface ExpiryPolicy {
  mode: ExpiryMode;
  months: number;
}

export interface UnspentCredit {
  id: string;
  occurredAt: Date;
  remaining: number;
  expiresAt: Date | null;
}

export interface ExpiryDue {
  points: number;
  /** When these points expire(d); part of the expiry's idempotency key. */
  at: Date;
}

const DAY_MS = 86_400_000;

/**
 * Calendar months later in UTC, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb).
 * Computed from the date's fields in one Date (the batch expiry calls this for every unspent
 * credit of a million members).
 */
export function addMonths(date: Date, months: number): Date {
  const month = date.getUTCMonth() + months;
  const year = date.getUTCFullYear() + Math.floor(month / 12);
  const inYear = month - Math.floor(month / 12) * 12;
  const t = date.getTime();
  // The time of day, on 1 January 1970; setUTCFullYear then sets the date (any year, unlike Date.UTC's 0-99).
  const result = new Date(t - Math.floor(t / DAY_MS) * DAY_MS);
  result.setUTCFullYear(year, inYear, Math.min(date.getUTCDate(), daysInMonth(year, inYear)));
  return result;
}

function creditDueAt(credit: UnspentCredit, months: number): Date {
  return credit.expiresAt ?? addMonths(credit.occurredAt, months);
}

/** Unspent credits in the order debits consume them (same instant: both due at once, so any order). */
function oldestFirst(credits: UnspentCredit[]): UnspentCredit[] {
  return credits
    .filter((c) => c.remaining > 0)
    .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The oldest credits that are all due by `at`. */
function duePrefix(oldest: UnspentCredit[], months: number, at: Date): UnspentCredit[] {
  const due: UnspentCredit[] = [];
  for (const credit of oldest) {
    if (creditDueAt(credit, months) > at) break;
    due.push(credit);
  }
  return due;
}

function latestDue(credits: UnspentCredit[], months: number): Date {
  return credits.reduce((latest, c) => (creditDueAt(c, months) > latest ? creditDueAt(c, months) : latest), new Date(0));
}

/** Points that have expired by `now` and are still unspent. */
export function expiredPoints(policy: ExpiryPolicy, credits: UnspentCredit[], lastActivityAt: Date | null, now: Date): ExpiryDue | null {
  const unspent = credits.filter((c) => c.remaining > 0);
  if (policy.mode === "NEVER" || unspent.length === 0) return null;
  if (policy.mode === "INACTIVITY") {
    if (!lastActivityAt) return null;
    const at = addMonths(lastActivityAt, policy.months);
    if (at > now) return null;
    return { points: unspent.reduce((sum, c) => sum + c.remaining, 0), at };
  }
  const due = duePrefix(oldestFirst(unspent), policy.months, now);
  if (due.length === 0) return null;
  return { points: due.reduce((sum, c) => sum + c.remaining, 0), at: latestDue(due, policy.months) };
}

/** The next expiry after `now`: when, and how many points it will take. */
export function nextExpiry(policy: ExpiryPolicy, credits: UnspentCredit[], lastActivityAt: Date | null, now: Date): ExpiryDue | null {
  const unspent = credits.filter((c) => c.remaining > 0);
  if (policy.mode === "NEVER" || unspent.length === 0) return null;
  if (policy.mode === "INACTIVITY") {
    if (!lastActivityAt) return null;
    const at = addMonths(lastActivityAt, policy.months);
    return at > now ? { points: unspent.reduce((sum, c) => sum + c.remaining, 0), at } : null;
  }
  // The run of due credits grows when the first credit after it falls due, by that credit and
  // the ones after it that are due by then.
  const oldest = oldestFirst(unspent);
  const dueNow = duePrefix(oldest, policy.months, now).length;
  const first = oldest[dueNow];
  if (!first) return null;
  const at = creditDueAt(first, policy.months);
  const points = duePrefix(oldest, policy.months, at).slice(dueNow).reduce((s, c) => s + c.remaining, 0);
  return { points, at };
}

/** The ledger idempotency key of the expiry due at `at` (one per member, mode and due date). */
export function expiryIdempotencyKey(domain: string, memberId: string, mode: ExpiryMode, at: Date): string {
  return `expiry:${domain}:${memberId}:${mode === "INACTIVITY" ? "inactive" : "age"}:${at.toISOString()}`;
}

export function expiryReason(policy: ExpiryPolicy): string {
  return policy.mode === "INACTIVITY" ? `Points expired after ${policy.months} months without activity` : `Points older than ${policy.months} months expired`;
}

/** The reminder's message dedupe key: once per member and expiry date. */
export function expiryReminderKey(memberId: string, at: Date): string {
  return `points_expiring:${memberId}:${at.toISOString()}`;
}

/**
 * An instant after every date that is due by `horizon` once `months` are added: addMonths(t,
 * months) <= horizon implies t < the result. Month ends clamp (31 Jan + 1 month = 28 Feb), so
 * addMonths is not monotonic near them and has no exact inverse; a day of slack on each side of the
 * clamp makes the bound safe (tests/unit/expiry-cutoff.test.ts). The batch pass uses it only to pick
 * the members worth a closer look; the decision itself is expiredPoints/nextExpiry.
 */
export function dueByCutoff(horizon: Date, months: number): Date {
  return new Date(addMonths(horizon, -months).getTime() + 4 * 86_400_000);
}
