import type { Tier } from "@prisma/client";
import type { Sql } from "../db/sql.server";
import type { MemberSelection } from "./member-chunks.server";
import { ladder, type ShopContext } from "./shop-context.server";
import { stepFor } from "./timeline";

/**
 * Which members a period-end evaluation must also reconcile. evaluateMemberTier reconciles every
 * member under the new baseline (the kept tier, from the period end); that writes something only
 * when the new baseline changes what the timeline computes, which is the tier now: reconcile
 * takes the higher of the kept tier, the ladder's zero-threshold tier and whatever was reached
 * since the period end. With nothing counted since (no qualifying entry, order, refund or
 * cancellation at or after it) that is the kept tier, unless a zero-threshold tier is above it.
 * A tier override decides the tier on its own.
 * The orders placed before the period end keep their points: the baseline the evaluation replaces
 * is kept (PastTierBaseline, past-baselines.server.ts) and still prices them.
 *
 * Assumes what every event, tier save and override end maintains: each member's cached tier,
 * last order date and order totals are what reconcileMember computes under the current baseline.
 */

export interface BaselineShift {
  memberId: string;
  previousTierId: string | null;
  previousAt: Date | null;
  lastOrderAt: Date | null;
  /** The new baseline: the period end, and the tier kept. */
  end: Date;
  kept: Tier | null;
  /** A qualifying entry at or after the period end. */
  countedSince: boolean;
  overridden: boolean;
}

export function membersToReconcile(sql: Sql, ctx: ShopContext, shifts: BaselineShift[], selections: MemberSelection[]): Set<string> {
  // Under calendar-year points (what reconcile's tier uses), a zero-point refund or cancellation
  // after the period end cannot lift anyone, and the ledger and last order date tell the rest.
  const ledgerOnly = ctx.program.tierBasis === "POINTS" && ctx.program.tierPeriod === "CALENDAR_YEAR";
  const ordersOf = ledgerOnly ? null : orderFacts(sql, ctx.shop.id, shifts, selections);
  const floor = stepFor(0, ladder(ctx.tiers));
  const reconcile = new Set<string>();
  for (const s of shifts) {
    const orders = ordersOf?.get(s.memberId) ?? [];
    const countedSince =
      s.countedSince ||
      (ledgerOnly ? Boolean(s.lastOrderAt && s.lastOrderAt >= s.end) : orders.some((o) => contributesSince(o, s.end)));
    const lifted = Boolean(floor && (!s.kept || floor.threshold > s.kept.threshold));
    if (s.overridden || countedSince || lifted || (s.previousTierId !== null && s.previousAt === null)) reconcile.add(s.memberId);
  }
  return reconcile;
}

interface OrderFacts {
  memberId: string;
  processedAt: string;
  cancelledAt: string | null;
  refunds: string;
  inTimeline: number;
}

/** The orders that could count at or after a period end: placed or cancelled since the earliest one, or refunded. */
function orderFacts(sql: Sql, shopId: string, shifts: BaselineShift[], selections: MemberSelection[]): Map<string, OrderFacts[]> {
  const ordersOf = new Map<string, OrderFacts[]>();
  if (shifts.length === 0) return ordersOf;
  let since = shifts[0].end;
  for (const s of shifts) if (s.end < since) since = s.end;
  for (const { where, params } of selections) {
    const rows = sql.all<OrderFacts>(
      `SELECT "memberId", "processedAt", "cancelledAt", "refunds", ("earnBasis" IS NOT NULL AND "goods" IS NOT NULL) AS "inTimeline"
       FROM "OrderRecord" WHERE "shopId" = ? AND ${where} AND "processedAt" IS NOT NULL
       AND ("processedAt" >= ? OR "cancelledAt" >= ? OR "refunds" <> '[]')`,
      shopId, ...params, since, since,
    );
    for (const row of rows) {
      const list = ordersOf.get(row.memberId);
      if (list) list.push(row);
      else ordersOf.set(row.memberId, [row]);
    }
  }
  return ordersOf;
}

/** Whether this order counts toward tiers at or after `end` (placed, refunded or cancelled then). */
function contributesSince(order: OrderFacts, end: Date): boolean {
  if (!order.inTimeline) return false;
  if (new Date(order.processedAt) >= end) return true;
  if (order.cancelledAt && new Date(order.cancelledAt) >= end) return true;
  if (order.refunds === "[]") return false;
  return (JSON.parse(order.refunds) as { createdAt: string }[]).some((r) => new Date(r.createdAt) >= end);
}
