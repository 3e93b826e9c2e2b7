import type { AutomationSettings, NegativeBalancePolicy } from "@prisma/client";
import type { Db, Tx } from "../db.server";
import type { Sql } from "../db/sql.server";
import { ACTIVITY_KINDS } from "./automation-settings.server";
import {
  dueByCutoff,
  expiredPoints,
  expiryIdempotencyKey,
  expiryReason,
  expiryReminderKey,
  nextExpiry,
  type ExpiryPolicy,
  type UnspentCredit,
} from "./expiry";
import { byShop, IN_LIST, inLists, memberRange, nextCursor, type ChunkMember, type MemberRange, type PassChunk } from "./member-chunks.server";
import { queueMessage } from "./notifications.server";
import { sqlOf, writeTransaction } from "./transaction.server";

/**
 * Points expiry over a chunk of members in one transaction: the same decisions, entries, balances,
 * FIFO remainders and reminders as runMemberExpiry (expiry.server.ts) for each of them, but with
 * set-based reads. Most members have nothing due and no reminder to get; one grouped query per
 * few hundred members finds those who might (an unspent credit old enough, or no activity for
 * long enough), and only those are loaded and decided with the pure expiredPoints/nextExpiry.
 * The writes are appendEntry's for a debit (FIFO by occurredAt, createdAt, id; floor-at-zero or
 * debt), so sum(remaining) == max(balance, 0) keeps holding. Idempotent: the ledger key per
 * expiry date and the message dedupe key make a rerun write nothing.
 */

const DAY = 86_400_000;

export interface ExpiryCounts {
  members: number;
  expired: number;
  expiredPoints: number;
  reminders: number;
}

type ExpiryMember = ChunkMember & { balance: number };

/** An unspent credit as the partial index of unspent credits holds it (its id there only orders credits of one instant). */
type IndexedCredit = UnspentCredit & { occurredAtText: string };

interface CreditRow {
  id: string;
  memberId: string;
  occurredAt: string;
  createdAt: string;
  remaining: number;
  expiresAt: string | null;
}

export async function expirePointsChunk(db: Db, options: { now: Date; cursor: string | null; size: number }): Promise<PassChunk<ExpiryCounts>> {
  return writeTransaction(db, async (tx) => {
    const sql = sqlOf(tx);
    const range = memberRange(sql, options.cursor, options.size);
    const counts: ExpiryCounts = { members: range?.count ?? 0, expired: 0, expiredPoints: 0, reminders: 0 };
    if (range) await expireRange(tx, sql, range, options.now, counts);
    return { counts, cursor: nextCursor(range, options.size) };
  });
}

interface ShopExpiry {
  shopId: string;
  domain: string;
  negativeBalancePolicy: NegativeBalancePolicy;
  policy: ExpiryPolicy;
  reminderMs: number;
  /** Nothing can be due, nor get a reminder, unless it is due by this horizon... */
  horizon: Date;
  /** ...so its credit was earned (or its last activity was) before this. */
  cutoff: Date;
}

/** The installed shops whose points expire, with their rules (automationSettings: no row means never). */
function shopsThatExpire(sql: Sql, now: Date): Map<string, ShopExpiry> {
  const rows = sql.all<Pick<AutomationSettings, "shopId" | "expiryMode" | "expiryMonths" | "expiryReminderDays"> & { domain: string; negativeBalancePolicy: NegativeBalancePolicy }>(
    `SELECT a."shopId", a."expiryMode", a."expiryMonths", a."expiryReminderDays", s."domain", p."negativeBalancePolicy"
     FROM "AutomationSettings" a JOIN "Shop" s ON s."id" = a."shopId" JOIN "Program" p ON p."shopId" = a."shopId"
     WHERE a."expiryMode" <> 'NEVER' AND s."uninstalledAt" IS NULL`,
  );
  const shops = new Map<string, ShopExpiry>();
  for (const row of rows) {
    const reminderMs = row.expiryReminderDays * DAY;
    const horizon = new Date(now.getTime() + Math.max(0, reminderMs));
    shops.set(row.shopId, {
      shopId: row.shopId,
      domain: row.domain,
      negativeBalancePolicy: row.negativeBalancePolicy,
      policy: { mode: row.expiryMode, months: row.expiryMonths },
      reminderMs,
      horizon,
      cutoff: dueByCutoff(horizon, row.expiryMonths),
    });
  }
  return shops;
}

const latest = (dates: Date[]) => new Date(Math.max(...dates.map((d) => d.getTime())));

/**
 * The chunk's candidates come from the ledger's indexes alone (the partial index of unspent
 * credits; the batch index for last activity), with the loosest bounds of the shops that expire
 * points (a chunk can span shops); only they are then looked up as members and decided exactly
 * under their own shop's rules.
 */
async function expireRange(tx: Tx, sql: Sql, range: MemberRange, now: Date, counts: ExpiryCounts) {
  const shops = shopsThatExpire(sql, now);
  const byAge = [...shops.values()].filter((s) => s.policy.mode === "ENTRY_AGE");
  const byInactivity = [...shops.values()].filter((s) => s.policy.mode === "INACTIVITY");
  const aged = new Set<string>();
  const activity = new Map<string, Date>();
  if (byAge.length > 0) {
    const rows = sql.tuples<[memberId: string]>(
      `SELECT DISTINCT "memberId" FROM "LedgerEntry" WHERE "memberId" >= ? AND "memberId" <= ? AND "remaining" > 0
       AND (("expiresAt" IS NULL AND "occurredAt" < ?) OR "expiresAt" <= ?)`,
      range.first, range.last, latest(byAge.map((s) => s.cutoff)), latest(byAge.map((s) => s.horizon)),
    );
    for (const [memberId] of rows) aged.add(memberId);
  }
  if (byInactivity.length > 0) {
    const kinds = ACTIVITY_KINDS.map((k) => `'${k}'`).join(", ");
    const rows = sql.all<{ memberId: string; at: string }>(
      `SELECT "memberId", MAX("occurredAt") AS "at" FROM "LedgerEntry" WHERE "memberId" >= ? AND "memberId" <= ? AND "kind" IN (${kinds})
       GROUP BY "memberId" HAVING MAX("occurredAt") < ?`,
      range.first, range.last, latest(byInactivity.map((s) => s.cutoff)),
    );
    for (const row of rows) activity.set(row.memberId, new Date(row.at));
  }
  const ids = [...new Set([...aged, ...activity.keys()])].sort();
  const members: ExpiryMember[] = [];
  for (const list of inLists(ids)) {
    const rows = sql.tuples<[id: string, shopId: string, balance: number]>(
      `SELECT "id", "shopId", "balance" FROM "Member" WHERE "id" IN (${IN_LIST}) AND "redactedAt" IS NULL AND "balance" > 0`,
      ...list,
    );
    for (const [id, shopId, balance] of rows) members.push({ id, shopId, balance });
  }
  for (const [shopId, group] of byShop(members)) {
    const shop = shops.get(shopId);
    if (!shop) continue;
    const candidates = group.filter((m) => (shop.policy.mode === "ENTRY_AGE" ? aged.has(m.id) : activity.has(m.id)));
    if (candidates.length > 0) await expireMembers(tx, sql, shop, candidates, activity, now, counts);
  }
}

/** Decides each candidate with expiredPoints/nextExpiry, and writes what runMemberExpiry would. */
async function expireMembers(tx: Tx, sql: Sql, shop: ShopExpiry, members: ExpiryMember[], activity: Map<string, Date>, now: Date, counts: ExpiryCounts) {
  const { shopId, policy, reminderMs } = shop;
  const balanceOf = new Map(members.map((m) => [m.id, m.balance]));
  const candidates = members.map((m) => m.id);
  // Deciding needs only what the partial index of unspent credits holds (a credit's id matters to
  // the order of credits earned at the same instant, which fall due together): no row is read yet.
  const unspentOf = new Map<string, IndexedCredit[]>();
  for (const list of inLists(candidates)) {
    const rows = sql.tuples<[memberId: string, occurredAt: string, remaining: number, expiresAt: string | null]>(
      `SELECT "memberId", "occurredAt", "remaining", "expiresAt" FROM "LedgerEntry" WHERE "memberId" IN (${IN_LIST}) AND "remaining" > 0`,
      ...list,
    );
    for (const [memberId, occurredAt, remaining, expiresAt] of rows) {
      const credits = unspentOf.get(memberId) ?? unspentOf.set(memberId, []).get(memberId)!;
      credits.push({ id: String(credits.length), occurredAt: new Date(occurredAt), remaining, expiresAt: expiresAt ? new Date(expiresAt) : null, occurredAtText: occurredAt });
    }
  }

  // What is due per member, and which of those expiries the ledger already holds.
  const decided = candidates
    .sort()
    .map((memberId) => {
      const credits = unspentOf.get(memberId) ?? [];
      const last = activity.get(memberId) ?? null;
      const due = expiredPoints(policy, credits, last, now);
      const key = due && due.points > 0 ? expiryIdempotencyKey(shop.domain, memberId, policy.mode, due.at) : null;
      return { memberId, credits, last, due, key };
    });
  const done = new Set<string>();
  const keys = decided.flatMap((d) => (d.key ? [d.key] : []));
  for (const list of inLists(keys)) {
    for (const row of sql.all<{ idempotencyKey: string }>(`SELECT "idempotencyKey" FROM "LedgerEntry" WHERE "idempotencyKey" IN (${IN_LIST})`, ...list)) {
      done.add(row.idempotencyKey);
    }
  }

  // The credits the FIFO debit of each expiry written now can reach, as rows (FIFO needs their
  // ids): one seek of the partial index per member, and only those credits' rows are read (they
  // are scattered over the table; the younger credits keep their points and the index told all
  // the reminder needs of them).
  const expiring = decided.filter((d) => d.due && d.key && !done.has(d.key));
  const rowsOf = new Map<string, { rows: CreditRow[]; reachedUntil: string | null }>();
  for (const d of expiring) {
    const balance = balanceOf.get(d.memberId)!;
    const reachedUntil = fifoReach(d.credits, Math.min(d.due!.points, Math.max(0, balance)));
    const rows =
      reachedUntil === null
        ? sql.all<CreditRow>(`SELECT "id", "memberId", "occurredAt", "createdAt", "remaining", "expiresAt" FROM "LedgerEntry" WHERE "memberId" = ? AND "remaining" > 0`, d.memberId)
        : sql.all<CreditRow>(
            `SELECT "id", "memberId", "occurredAt", "createdAt", "remaining", "expiresAt" FROM "LedgerEntry" WHERE "memberId" = ? AND "remaining" > 0 AND "occurredAt" <= ?`,
            d.memberId, reachedUntil,
          );
    rowsOf.set(d.memberId, { rows, reachedUntil });
  }

  const spent: string[] = [];
  const wallClock = new Date();
  for (const d of decided) {
    let credits: UnspentCredit[] = d.credits;
    if (d.due && d.key && !done.has(d.key)) {
      const { rows, reachedUntil } = rowsOf.get(d.memberId)!;
      const balance = balanceOf.get(d.memberId)!;
      const debit = fifoDebit(balance, shop.negativeBalancePolicy, d.due.points, rows);
      for (const [id, remaining] of debit.updates) {
        if (remaining === 0) spent.push(id);
        else sql.run(`UPDATE "LedgerEntry" SET "remaining" = ? WHERE "id" = ?`, remaining, id);
      }
      // The entry exactly as appendEntry writes it (ledger.server.ts).
      sql.insert("LedgerEntry", {
        shopId,
        memberId: d.memberId,
        kind: "EXPIRY",
        points: debit.applied,
        waivedPoints: debit.waived,
        qualifying: false,
        reason: expiryReason(policy),
        sourceType: "expiry",
        sourceId: null,
        orderId: null,
        createdBy: null,
        idempotencyKey: d.key,
        occurredAt: now,
        expiresAt: null,
        remaining: 0,
      }, wallClock);
      if (debit.applied !== 0) {
        sql.run(`UPDATE "Member" SET "balance" = "balance" + ?, "lifetimePoints" = "lifetimePoints" + ?, "updatedAt" = ? WHERE "id" = ?`, debit.applied, 0, wallClock, d.memberId);
      }
      counts.expired += 1;
      counts.expiredPoints += d.due.points;
      const younger = reachedUntil === null ? [] : d.credits.filter((c) => c.occurredAtText > reachedUntil);
      credits = [
        ...rows.map((r) => ({ id: r.id, occurredAt: new Date(r.occurredAt), remaining: debit.updates.get(r.id) ?? r.remaining, expiresAt: r.expiresAt ? new Date(r.expiresAt) : null })),
        ...younger,
      ].filter((c) => c.remaining > 0);
    }
    const next = nextExpiry(policy, credits, d.last, now);
    if (next && next.points > 0 && next.at.getTime() - now.getTime() <= reminderMs) {
      const queued = await queueMessage(tx, {
        shopId,
        memberId: d.memberId,
        trigger: "points_expiring",
        dedupeKey: expiryReminderKey(d.memberId, next.at),
        data: { points: next.points, expiresAt: next.at.toISOString() },
        now,
      });
      if (queued) counts.reminders += 1;
    }
  }
  for (const list of inLists(spent)) sql.run(`UPDATE "LedgerEntry" SET "remaining" = 0 WHERE "id" IN (${IN_LIST})`, ...list);
}

/**
 * The latest occurredAt (as stored) among the unspent credits a FIFO debit of `points` takes
 * from: the credits before it are used up, the ones at it are ordered by createdAt and id, which
 * only their rows hold. Null means every credit's row is needed: when younger credits earned at
 * one instant fall due at different times (the reminder then orders them by id, as the
 * per-member job does), or when the credits do not cover the points.
 */
export function fifoReach(credits: IndexedCredit[], points: number): string | null {
  const oldest = [...credits].sort((a, b) => compare(a.occurredAtText, b.occurredAtText));
  let left = points;
  let i = 0;
  let until: string | null = null;
  while (left > 0 && i < oldest.length) {
    until = oldest[i].occurredAtText;
    for (; i < oldest.length && oldest[i].occurredAtText === until; i++) left -= oldest[i].remaining;
  }
  if (left > 0) return null;
  const dueAt = new Map<string, number | null>();
  for (; i < oldest.length; i++) {
    const c = oldest[i];
    const expires = c.expiresAt ? c.expiresAt.getTime() : null;
    const seen = dueAt.get(c.occurredAtText);
    if (seen !== undefined && seen !== expires) return null;
    dueAt.set(c.occurredAtText, expires);
  }
  // Nothing taken: no row is needed ("" is before every date).
  return until ?? "";
}

/**
 * appendEntry's arithmetic for a debit of `asked` points (ledger.server.ts): under floor-at-zero
 * it takes at most the positive balance and waives the rest; the points taken come out of the
 * unspent credits oldest first (occurredAt, createdAt, id: the order consumeFifo reads them in).
 */
export function fifoDebit(balance: number, policy: NegativeBalancePolicy, asked: number, credits: Pick<CreditRow, "id" | "occurredAt" | "createdAt" | "remaining">[]) {
  const available = Math.max(0, balance);
  const taken = policy === "FLOOR_AT_ZERO" ? Math.min(asked, available) : asked;
  const updates = new Map<string, number>();
  let left = Math.min(taken, available);
  const oldestFirst = [...credits].sort((a, b) => compare(a.occurredAt, b.occurredAt) || compare(a.createdAt, b.createdAt) || compare(a.id, b.id));
  for (const credit of oldestFirst) {
    if (left === 0) break;
    const take = Math.min(left, credit.remaining);
    updates.set(credit.id, credit.remaining - take);
    left -= take;
  }
  return { applied: -taken, waived: asked - taken, updates };
}

/** Text order, as SQLite's default (BINARY) collation sorts the ISO dates and ids. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
