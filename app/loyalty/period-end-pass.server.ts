import type { Member, OrderRecord, Tier } from "@prisma/client";
import type { Db, Tx } from "../db.server";
import type { Sql } from "../db/sql.server";
import { byShop, IN_LIST, inLists, memberChunk, nextCursor, shopContextById, type ChunkMember } from "./member-chunks.server";
import { queueMessage } from "./notifications.server";
import { enqueue } from "./outbox.server";
import { duePeriodEnd, qualifiedSpend, tierKept, type PeriodEnd } from "./period-end.server";
import { reconcileMember } from "./reconcile.server";
import type { ShopContext } from "./shop-context.server";
import { ladder } from "./shop-context.server";
import { stepFor } from "./timeline";
import { sqlOf, writeTransaction } from "./transaction.server";
import type { PassChunk } from "./expiry-pass.server";

/**
 * The period-end tier evaluation over a chunk of members in one transaction, with the results of
 * evaluateMemberTier (period-end.server.ts) for each: the qualified amount of the period that
 * ended (one grouped sum over the ledger per few hundred members), the tier kept, the baseline
 * set, and for a member who drops a tier the TierChange, the tier sync in the outbox and the
 * tier_lost message.
 *
 * evaluateMemberTier then reconciles the member under the new baseline. For most members that
 * changes nothing, and the pass skips it: the member's facts are all from before the period end
 * (nothing can lift them in the new period), no tier override holds them, and no order was
 * placed since the previous baseline (orders placed before a baseline keep the points they
 * earned). The others are reconciled with the real reconcileMember inside the same transaction:
 * - a TierOverride row;
 * - a qualifying entry, an order, a refund or a cancellation at or after the period end;
 * - an order placed between the previous baseline and the period end (its multiplier is
 *   recomputed from history once the baseline moves; see the decision record 014);
 * - a kept tier below the ladder's zero-threshold tier (reconcile lifts the member back).
 * This relies on what every event, tier save and override end already guarantees: before the
 * pass, the member's cached tier and order totals are what reconcileMember computes.
 */

export interface TierEvaluationCounts {
  members: number;
  evaluated: number;
  downgraded: number;
  /** Members whose evaluation also needed the full reconcile (see above). */
  reconciled: number;
}

type TierMember = ChunkMember &
  Pick<Member, "tierId" | "tierBaselineId" | "platformCustomerId"> & {
    tierBaselineAt: string | null;
    tierSince: string | null;
    enrolledAt: string;
  };

interface Due {
  member: TierMember;
  period: PeriodEnd;
  held: Tier;
  amount: number;
  kept: Tier | null;
  reconcile: boolean;
}

export async function evaluateTiersChunk(db: Db, options: { now: Date; cursor: string | null; size: number }): Promise<PassChunk<TierEvaluationCounts>> {
  return writeTransaction(db, async (tx) => {
    const sql = sqlOf(tx);
    const members = memberChunk<TierMember>(
      sql,
      ["tierId", "tierBaselineId", "tierBaselineAt", "tierSince", "enrolledAt", "platformCustomerId"],
      `m."tierId" IS NOT NULL`,
      options.cursor,
      options.size,
    );
    const counts: TierEvaluationCounts = { members: members.length, evaluated: 0, downgraded: 0, reconciled: 0 };
    for (const [shopId, group] of byShop(members)) {
      const ctx = shopContextById(sql, shopId);
      if (ctx) await evaluateShopMembers(tx, sql, ctx, group, options.now, counts);
    }
    return { counts, cursor: nextCursor(members, options.size) };
  });
}

const time = (text: string | null) => (text === null ? null : new Date(text));

async function evaluateShopMembers(tx: Tx, sql: Sql, ctx: ShopContext, members: TierMember[], now: Date, counts: TierEvaluationCounts) {
  const tiers = new Map(ctx.tiers.map((t) => [t.id, t]));
  const due: Due[] = [];
  for (const member of members) {
    const period = duePeriodEnd(ctx, { tierBaselineAt: time(member.tierBaselineAt), tierSince: time(member.tierSince), enrolledAt: new Date(member.enrolledAt) }, now);
    const held = member.tierId ? tiers.get(member.tierId) : undefined;
    if (period && held) due.push({ member, period, held, amount: 0, kept: null, reconcile: false });
  }
  if (due.length === 0) return;

  // Members sharing a period (all of them under calendar years) are summed together.
  const byPeriod = new Map<string, Due[]>();
  for (const d of due) {
    const key = `${d.period.start.getTime()}|${d.period.end.getTime()}`;
    const list = byPeriod.get(key);
    if (list) list.push(d);
    else byPeriod.set(key, [d]);
  }
  const later = new Set<string>();
  for (const group of byPeriod.values()) {
    const { period } = group[0];
    const ids = group.map((d) => d.member.id);
    const amounts = ctx.program.tierBasis === "POINTS" ? pointsAmounts(sql, ids, period) : spendAmounts(sql, ctx.shop.id, ids, period);
    for (const d of group) d.amount = amounts.get(d.member.id) ?? 0;
    // Anything counted at or after the period end can lift the member in the new period.
    for (const list of inLists(ids)) {
      const rows = sql.all<{ memberId: string }>(
        `SELECT DISTINCT "memberId" FROM "LedgerEntry" WHERE "memberId" IN (${IN_LIST}) AND "occurredAt" >= ? AND "qualifying" = 1`,
        ...list, period.end,
      );
      for (const row of rows) later.add(row.memberId);
    }
  }
  const ids = due.map((d) => d.member.id);
  const overridden = new Set<string>();
  for (const list of inLists(ids)) {
    for (const row of sql.all<{ memberId: string }>(`SELECT "memberId" FROM "TierOverride" WHERE "memberId" IN (${IN_LIST})`, ...list)) overridden.add(row.memberId);
  }
  const ordersOf = ordersToCheck(sql, ctx.shop.id, due);

  const floor = stepFor(0, ladder(ctx.tiers));
  for (const d of due) {
    d.kept = tierKept(ctx.tiers, d.held, d.amount);
    const baselineAt = time(d.member.tierBaselineAt);
    const lifted = floor && (!d.kept || floor.threshold > d.kept.threshold);
    d.reconcile =
      overridden.has(d.member.id) ||
      later.has(d.member.id) ||
      Boolean(lifted) ||
      (d.member.tierBaselineId !== null && baselineAt === null) ||
      (ordersOf.get(d.member.id) ?? []).some((o) => orderNeedsReconcile(o, baselineAt, d.period.end));
  }

  // The baseline, for everyone evaluated; grouped by (tier kept, period end).
  const wallClock = new Date();
  const baselines = new Map<string, { tierId: string | null; at: Date; ids: string[] }>();
  for (const d of due) {
    const key = `${d.kept?.id ?? ""}|${d.period.end.getTime()}`;
    const entry = baselines.get(key) ?? baselines.set(key, { tierId: d.kept?.id ?? null, at: d.period.end, ids: [] }).get(key)!;
    entry.ids.push(d.member.id);
  }
  for (const { tierId, at, ids: group } of baselines.values()) {
    for (const list of inLists(group)) {
      sql.run(`UPDATE "Member" SET "tierBaselineId" = ?, "tierBaselineAt" = ?, "updatedAt" = ? WHERE "id" IN (${IN_LIST})`, tierId, at, wallClock, ...list);
    }
  }

  for (const d of due) {
    counts.evaluated += 1;
    const { member, held, kept, amount } = d;
    if (kept?.id !== held.id) {
      counts.downgraded += 1;
      const change = sql.insert<{ id: string }>("TierChange", {
        shopId: ctx.shop.id,
        memberId: member.id,
        fromTierId: held.id,
        toTierId: kept?.id ?? null,
        direction: "DOWN",
        reason: "period_end",
        createdAt: now,
      });
      sql.update("Member", member.id, { tierId: kept?.id ?? null, tierSince: now }, wallClock);
      await enqueue(tx, ctx.shop.id, "tier.changed", {
        memberId: member.id,
        platformCustomerId: member.platformCustomerId,
        fromTierId: held.id,
        toTierId: kept?.id ?? null,
        direction: "DOWN",
      });
      await queueMessage(tx, {
        shopId: ctx.shop.id,
        memberId: member.id,
        trigger: "tier_lost",
        dedupeKey: `tier_lost:${change.id}`,
        data: { lostTier: held.name, tier: kept?.name ?? null, needed: Math.max(0, held.threshold - amount), threshold: held.threshold },
        now,
      });
    }
    if (d.reconcile) {
      counts.reconciled += 1;
      const current = sql.one<Member>("Member", `SELECT * FROM "Member" WHERE "id" = ?`, member.id)!;
      await reconcileMember(tx, ctx, current, now);
    }
  }
}

/** qualifiedAmount under the POINTS basis, for many members at once. */
function pointsAmounts(sql: Sql, ids: string[], period: PeriodEnd): Map<string, number> {
  const amounts = new Map<string, number>();
  for (const list of inLists(ids)) {
    const rows = sql.all<{ memberId: string; amount: number }>(
      `SELECT "memberId", SUM("points" - "waivedPoints") AS "amount" FROM "LedgerEntry"
       WHERE "memberId" IN (${IN_LIST}) AND "occurredAt" >= ? AND "occurredAt" < ? AND "qualifying" = 1 GROUP BY "memberId"`,
      ...list, period.start, period.end,
    );
    for (const row of rows) amounts.set(row.memberId, row.amount ?? 0);
  }
  return amounts;
}

/** qualifiedAmount under the SPEND basis, for many members at once (orders' facts are JSON: decided in code). */
function spendAmounts(sql: Sql, shopId: string, ids: string[], period: PeriodEnd): Map<string, number> {
  const recordsOf = new Map<string, OrderRecord[]>();
  for (const list of inLists(ids)) {
    const rows = sql.many<OrderRecord>(
      "OrderRecord",
      `SELECT * FROM "OrderRecord" WHERE "shopId" = ? AND "memberId" IN (${IN_LIST}) AND "processedAt" >= ? AND "processedAt" < ?`,
      shopId, ...list, period.start, period.end,
    );
    for (const row of rows) {
      const list = recordsOf.get(row.memberId!);
      if (list) list.push(row);
      else recordsOf.set(row.memberId!, [row]);
    }
  }
  return new Map([...recordsOf].map(([memberId, records]) => [memberId, qualifiedSpend(records, period)]));
}

interface OrderFacts {
  memberId: string;
  processedAt: string;
  cancelledAt: string | null;
  refunds: string;
  inTimeline: number;
}

/** The members' orders that could matter to reconcile under the new baseline (checked in orderNeedsReconcile). */
function ordersToCheck(sql: Sql, shopId: string, due: Due[]): Map<string, OrderFacts[]> {
  const ordersOf = new Map<string, OrderFacts[]>();
  let since = due[0].period.end;
  for (const d of due) {
    const from = d.member.tierBaselineAt ? new Date(d.member.tierBaselineAt) : d.period.end;
    if (from < since) since = from;
  }
  let until = due[0].period.end;
  for (const d of due) if (d.period.end < until) until = d.period.end;
  for (const list of inLists(due.map((d) => d.member.id))) {
    const rows = sql.all<OrderFacts>(
      `SELECT "memberId", "processedAt", "cancelledAt", "refunds", ("earnBasis" IS NOT NULL AND "goods" IS NOT NULL) AS "inTimeline"
       FROM "OrderRecord" WHERE "shopId" = ? AND "memberId" IN (${IN_LIST}) AND "processedAt" IS NOT NULL
       AND ("processedAt" >= ? OR "cancelledAt" >= ? OR "refunds" <> '[]')`,
      shopId, ...list, since, until,
    );
    for (const row of rows) {
      const list = ordersOf.get(row.memberId);
      if (list) list.push(row);
      else ordersOf.set(row.memberId, [row]);
    }
  }
  return ordersOf;
}

/**
 * Whether reconciling under the new baseline (kept tier from `end`) could change this order's
 * outcome or the member's tier: it was placed since the previous baseline (its multiplier's tier
 * is then recomputed), or it contributes at or after the period end (placed, refunded, cancelled).
 */
function orderNeedsReconcile(order: OrderFacts, previousBaselineAt: Date | null, end: Date): boolean {
  if (!order.inTimeline) return false;
  const placed = new Date(order.processedAt);
  if (placed >= end || (previousBaselineAt && placed >= previousBaselineAt)) return true;
  if (order.cancelledAt && new Date(order.cancelledAt) >= end) return true;
  if (order.refunds === "[]") return false;
  return (JSON.parse(order.refunds) as { createdAt: string }[]).some((r) => new Date(r.createdAt) >= end);
}
