import type { AutomationSettings, NegativeBalancePolicy } from "@prisma/client";
import type { Db, Tx } from "../db.server";
import type { Sql } from "../db/sql.server";
import { ACTIVITY_KINDS, defaultAutomationSettings } from "./automation-settings.server";
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
import { byShop, IN_LIST, inLists, memberChunk, memberSelections, nextCursor, type ChunkMember } from "./member-chunks.server";
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

export interface PassChunk<C> {
  counts: C;
  /** Where the next chunk starts; null after the last. */
  cursor: string | null;
}

type ExpiryMember = ChunkMember & { balance: number };

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
    const members = memberChunk<ExpiryMember>(sql, ["balance"], `m."balance" > 0`, options.cursor, options.size);
    const counts: ExpiryCounts = { members: members.length, expired: 0, expiredPoints: 0, reminders: 0 };
    for (const [shopId, group] of byShop(members)) await expireShopMembers(tx, sql, shopId, group, members.length, options.now, counts);
    return { counts, cursor: nextCursor(members, options.size) };
  });
}

async function expireShopMembers(tx: Tx, sql: Sql, shopId: string, members: ExpiryMember[], chunkLength: number, now: Date, counts: ExpiryCounts) {
  const shop = sql.get<{ domain: string; negativeBalancePolicy: NegativeBalancePolicy }>(
    `SELECT s."domain", p."negativeBalancePolicy" FROM "Shop" s JOIN "Program" p ON p."shopId" = s."id" WHERE s."id" = ?`,
    shopId,
  );
  if (!shop) return;
  const settings = sql.one<AutomationSettings>("AutomationSettings", `SELECT * FROM "AutomationSettings" WHERE "shopId" = ?`, shopId) ?? defaultAutomationSettings(shopId);
  const policy: ExpiryPolicy = { mode: settings.expiryMode, months: settings.expiryMonths };
  if (policy.mode === "NEVER") return;
  const reminderMs = settings.expiryReminderDays * DAY;
  // Nothing can be due, nor get a reminder, unless it is due by this horizon.
  const horizon = new Date(now.getTime() + Math.max(0, reminderMs));
  const cutoff = dueByCutoff(horizon, policy.months);
  const balanceOf = new Map(members.map((m) => [m.id, m.balance]));
  const selections = memberSelections(members, chunkLength);

  const activity = new Map<string, Date>();
  const candidates: string[] = [];
  if (policy.mode === "ENTRY_AGE") {
    for (const { where, params } of selections) {
      const rows = sql.all<{ memberId: string }>(
        `SELECT DISTINCT "memberId" FROM "LedgerEntry" WHERE ${where} AND "remaining" > 0
         AND (("expiresAt" IS NULL AND "occurredAt" < ?) OR "expiresAt" <= ?)`,
        ...params, cutoff, horizon,
      );
      for (const row of rows) if (balanceOf.has(row.memberId)) candidates.push(row.memberId);
    }
  } else {
    const kinds = ACTIVITY_KINDS.map((k) => `'${k}'`).join(", ");
    for (const { where, params } of selections) {
      const rows = sql.all<{ memberId: string; at: string }>(
        `SELECT "memberId", MAX("occurredAt") AS "at" FROM "LedgerEntry" WHERE ${where} AND "kind" IN (${kinds})
         GROUP BY "memberId" HAVING MAX("occurredAt") < ?`,
        ...params, cutoff,
      );
      for (const row of rows) {
        if (!balanceOf.has(row.memberId)) continue;
        candidates.push(row.memberId);
        activity.set(row.memberId, new Date(row.at));
      }
    }
  }
  if (candidates.length === 0) return;

  const creditsOf = new Map<string, CreditRow[]>();
  for (const list of inLists(candidates)) {
    const rows = sql.all<CreditRow>(
      `SELECT "id", "memberId", "occurredAt", "createdAt", "remaining", "expiresAt" FROM "LedgerEntry" WHERE "memberId" IN (${IN_LIST}) AND "remaining" > 0`,
      ...list,
    );
    for (const row of rows) {
      const list = creditsOf.get(row.memberId);
      if (list) list.push(row);
      else creditsOf.set(row.memberId, [row]);
    }
  }

  // What is due per member, and which of those expiries the ledger already holds.
  const decided = candidates
    .sort()
    .map((memberId) => {
      const rows = creditsOf.get(memberId) ?? [];
      const credits: UnspentCredit[] = rows.map((r) => ({ id: r.id, occurredAt: new Date(r.occurredAt), remaining: r.remaining, expiresAt: r.expiresAt ? new Date(r.expiresAt) : null }));
      const last = activity.get(memberId) ?? null;
      const due = expiredPoints(policy, credits, last, now);
      const key = due && due.points > 0 ? expiryIdempotencyKey(shop.domain, memberId, policy.mode, due.at) : null;
      return { memberId, rows, credits, last, due, key };
    });
  const done = new Set<string>();
  const keys = decided.flatMap((d) => (d.key ? [d.key] : []));
  for (const list of inLists(keys)) {
    for (const row of sql.all<{ idempotencyKey: string }>(`SELECT "idempotencyKey" FROM "LedgerEntry" WHERE "idempotencyKey" IN (${IN_LIST})`, ...list)) {
      done.add(row.idempotencyKey);
    }
  }

  const spent: string[] = [];
  const wallClock = new Date();
  for (const d of decided) {
    let credits = d.credits;
    if (d.due && d.key && !done.has(d.key)) {
      const balance = balanceOf.get(d.memberId)!;
      const debit = fifoDebit(balance, shop.negativeBalancePolicy, d.due.points, d.rows);
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
      credits = credits.map((c) => ({ ...c, remaining: debit.updates.get(c.id) ?? c.remaining })).filter((c) => c.remaining > 0);
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
