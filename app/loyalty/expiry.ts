/**
 * Points expiry, as plain functions of a member's unspent credits (pass `now`).
 * - INACTIVITY: the whole balance expires `months` after the member's last activity (an order,
 *   a redemption, a welcome or a staff adjustment; automatic credits like birthdays do not count).
 * - ENTRY_AGE: each credit expires `months` after it was earned (or at its own expiresAt).
 * Debits consume credits oldest first (see ledger.server.ts), so under ENTRY_AGE the credits that
 * are due are always the oldest ones and one FIFO debit of their sum takes exactly them.
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

/** Calendar months later in UTC, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: Date, months: number): Date {
  const d = new Date(date.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

function creditDueAt(credit: UnspentCredit, months: number): Date {
  return credit.expiresAt ?? addMonths(credit.occurredAt, months);
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
  const due = unspent.filter((c) => creditDueAt(c, policy.months) <= now);
  if (due.length === 0) return null;
  const at = due.reduce((latest, c) => (creditDueAt(c, policy.months) > latest ? creditDueAt(c, policy.months) : latest), new Date(0));
  return { points: due.reduce((sum, c) => sum + c.remaining, 0), at };
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
  let next: Date | null = null;
  for (const c of unspent) {
    const at = creditDueAt(c, policy.months);
    if (at > now && (!next || at < next)) next = at;
  }
  if (!next) return null;
  const when = next;
  const points = unspent.filter((c) => creditDueAt(c, policy.months).getTime() === when.getTime()).reduce((s, c) => s + c.remaining, 0);
  return { points, at: when };
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
