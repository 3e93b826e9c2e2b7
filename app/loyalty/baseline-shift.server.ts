import type { OrderRecord, Tier } from "@prisma/client";
import { sqlDate, type Sql } from "../db/sql.server";
import { peakOfCredits, priceFromHistory } from "./history-pricing";
import { IN_LIST, IN_LIST_SIZE, inLists, type MemberSelection } from "./member-chunks.server";
import { timelineOrder } from "./orders.server";
import { ladder, type ShopContext } from "./shop-context.server";
import { stepFor, type TimelineCredit, type TimelineOrder } from "./timeline";
import type { EarnBasis, LadderStep } from "./types";

/**
 * Which members a period-end evaluation must also reconcile. evaluateMemberTier reconciles every
 * member under the new baseline (the kept tier, from the period end); that writes something only
 * when the new baseline changes what the timeline computes:
 * - the tier now: reconcile takes the higher of the kept tier, the ladder's zero-threshold tier
 *   and whatever was reached since the period end. With nothing counted since (no qualifying
 *   entry, order, refund or cancellation at or after it) that is the kept tier, unless a
 *   zero-threshold tier is above it. A tier override decides the tier on its own.
 * - the points of orders placed between the previous baseline and the period end: they were
 *   priced with the previous baseline's tier as a floor, and are priced from history alone once
 *   the baseline moves past them (timeline.ts). Orders placed before the previous baseline were
 *   priced from history alone already, so they keep their points.
 * For the second point the cheap test is whether history alone reached exactly the previous
 * baseline's tier before that baseline (then both pricings agree order by order); it reads only
 * the ledger's covering index and needs every qualifying credit before the baseline to be
 * non-negative (then the ledger's entries are the timeline's contributions, however grouped).
 * Otherwise the member's orders are priced from history (history-pricing.ts) and compared with
 * what the ledger holds for them.
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

export interface ShiftDecision {
  reconcile: Set<string>;
  /** Members with orders since their previous baseline (checked), and of those, priced in full. */
  checked: number;
  priced: number;
}

export function membersToReconcile(sql: Sql, ctx: ShopContext, shifts: BaselineShift[], selections: MemberSelection[]): ShiftDecision {
  // Under calendar-year points (what reconcile's tier uses), a zero-point refund or cancellation
  // after the period end cannot lift anyone, and the ledger and last order date tell the rest.
  const ledgerOnly = ctx.program.tierBasis === "POINTS" && ctx.program.tierPeriod === "CALENDAR_YEAR";
  const ordersOf = ledgerOnly ? null : orderFacts(sql, ctx.shop.id, shifts, selections);
  const floor = stepFor(0, ladder(ctx.tiers));
  const reconcile = new Set<string>();
  const toCheck: BaselineShift[] = [];
  for (const s of shifts) {
    const orders = ordersOf?.get(s.memberId) ?? [];
    const countedSince =
      s.countedSince ||
      (ledgerOnly ? Boolean(s.lastOrderAt && s.lastOrderAt >= s.end) : orders.some((o) => contributesSince(o, s.end)));
    const lifted = Boolean(floor && (!s.kept || floor.threshold > s.kept.threshold));
    if (s.overridden || countedSince || lifted || (s.previousTierId !== null && s.previousAt === null)) {
      reconcile.add(s.memberId);
      continue;
    }
    const previousAt = s.previousAt;
    if (!previousAt) continue;
    const ordersSince = ledgerOnly
      ? Boolean(s.lastOrderAt && s.lastOrderAt >= previousAt)
      : orders.some((o) => o.inTimeline && new Date(o.processedAt) >= previousAt);
    if (ordersSince) toCheck.push(s);
  }
  const reached = historyReachedBaselines(sql, ctx.shop.id, toCheck);
  const unsure = toCheck.filter((s) => !reached.has(s.memberId));
  for (const memberId of repricedMembers(sql, ctx.shop.id, unsure.map((s) => s.memberId))) reconcile.add(memberId);
  return { reconcile, checked: toCheck.length, priced: unsure.length };
}

interface OrderFacts {
  memberId: string;
  processedAt: string;
  cancelledAt: string | null;
  refunds: string;
  inTimeline: number;
}

/** The orders that could matter: placed since the earliest previous baseline, refunded or cancelled. */
function orderFacts(sql: Sql, shopId: string, shifts: BaselineShift[], selections: MemberSelection[]): Map<string, OrderFacts[]> {
  const ordersOf = new Map<string, OrderFacts[]>();
  if (shifts.length === 0) return ordersOf;
  let since = shifts[0].end;
  let until = shifts[0].end;
  for (const s of shifts) {
    const from = s.previousAt ?? s.end;
    if (from < since) since = from;
    if (s.end < until) until = s.end;
  }
  for (const { where, params } of selections) {
    const rows = sql.all<OrderFacts>(
      `SELECT "memberId", "processedAt", "cancelledAt", "refunds", ("earnBasis" IS NOT NULL AND "goods" IS NOT NULL) AS "inTimeline"
       FROM "OrderRecord" WHERE "shopId" = ? AND ${where} AND "processedAt" IS NOT NULL
       AND ("processedAt" >= ? OR "cancelledAt" >= ? OR "refunds" <> '[]')`,
      shopId, ...params, since, until,
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

const parsedBases = new Map<string, EarnBasis>();
function basisOf(text: string): EarnBasis {
  let basis = parsedBases.get(text);
  if (!basis) {
    if (parsedBases.size > 1_000) parsedBases.clear();
    parsedBases.set(text, (basis = JSON.parse(text) as EarnBasis));
  }
  return basis;
}

function higher(a: LadderStep | null, b: LadderStep | null): LadderStep | null {
  if (!a) return b;
  if (!b) return a;
  return b.threshold > a.threshold ? b : a;
}

/**
 * The cheap test (see above), for members with orders since their previous baseline: those for
 * whom history alone reached exactly the tier the baseline gives (the baseline's tier, or the
 * zero-threshold tier if higher) before that baseline, on the ladder and rules each order since
 * the baseline was priced under.
 */
function historyReachedBaselines(sql: Sql, shopId: string, shifts: BaselineShift[]): Set<string> {
  const reached = new Set<string>();
  for (let i = 0; i < shifts.length; i += IN_LIST_SIZE) {
    const group = shifts.slice(i, i + IN_LIST_SIZE);
    const [list] = [...inLists(group.map((s) => s.memberId))];
    const earliest = new Date(Math.min(...group.map((s) => s.previousAt!.getTime())));
    const latest = new Date(Math.max(...group.map((s) => s.previousAt!.getTime())));
    // Tuples: these two reads return a few rows for each of a fifth of the shop's members.
    const basesOf = new Map<string, { processedAt: string; earnBasis: string }[]>();
    for (const [memberId, processedAt, earnBasis] of sql.tuples<[string, string, string]>(
      `SELECT "memberId", "processedAt", "earnBasis" FROM "OrderRecord" WHERE "shopId" = ? AND "memberId" IN (${IN_LIST}) AND "processedAt" >= ? AND "earnBasis" IS NOT NULL`,
      shopId, ...list, earliest,
    )) {
      const row = { processedAt, earnBasis };
      const rows = basesOf.get(memberId);
      if (rows) rows.push(row);
      else basesOf.set(memberId, [row]);
    }
    const creditsOf = new Map<string, { occurredAt: string; kind: string; points: number }[]>();
    for (const [memberId, occurredAt, kind, points] of sql.tuples<[string, string, string, number]>(
      `SELECT "memberId", "occurredAt", "kind", "points" - "waivedPoints" FROM "LedgerEntry" WHERE "memberId" IN (${IN_LIST}) AND "occurredAt" < ? AND "qualifying" = 1`,
      ...list, latest,
    )) {
      const entry = { occurredAt, kind, points };
      const rows = creditsOf.get(memberId);
      if (rows) rows.push(entry);
      else creditsOf.set(memberId, [entry]);
    }
    for (const s of group) {
      const since = sqlDate(s.previousAt!);
      const end = sqlDate(s.end);
      const bases = new Set((basesOf.get(s.memberId) ?? []).filter((o) => o.processedAt >= since && o.processedAt < end).map((o) => o.earnBasis));
      const credits = (creditsOf.get(s.memberId) ?? []).filter((e) => e.occurredAt < since);
      if (historyReached(s, bases, credits)) reached.add(s.memberId);
    }
  }
  return reached;
}

function historyReached(s: BaselineShift, bases: Set<string>, entries: { occurredAt: string; kind: string; points: number }[]): boolean {
  const credits: { at: number; points: number }[] = [];
  for (const e of entries) {
    if (e.points < 0 || e.kind === "ORDER_REVERSAL") return false;
    credits.push({ at: new Date(e.occurredAt).getTime(), points: e.points });
  }
  for (const text of bases) {
    const basis = basisOf(text);
    if (basis.tierBasis !== "POINTS") return false;
    if (new Set(basis.ladder.map((step) => step.threshold)).size !== basis.ladder.length) return false;
    const reached = stepFor(peakOfCredits(credits, { period: basis.tierPeriod, timezone: basis.timezone }), basis.ladder);
    const baseline = higher(basis.ladder.find((step) => step.tierId === s.previousTierId) ?? null, stepFor(0, basis.ladder));
    if (reached?.tierId !== baseline?.tierId) return false;
  }
  return true;
}

/** Of these members, those whose orders would not keep their points once priced from history. */
function repricedMembers(sql: Sql, shopId: string, ids: string[]): string[] {
  const changed: string[] = [];
  for (const list of inLists(ids)) {
    const ordersOf = new Map<string, OrderRecord[]>();
    for (const record of sql.many<OrderRecord>("OrderRecord", `SELECT * FROM "OrderRecord" WHERE "shopId" = ? AND "memberId" IN (${IN_LIST})`, shopId, ...list)) {
      const orders = ordersOf.get(record.memberId!);
      if (orders) orders.push(record);
      else ordersOf.set(record.memberId!, [record]);
    }
    const creditsOf = new Map<string, TimelineCredit[]>();
    const rows = sql.all<{ id: string; memberId: string; occurredAt: string; points: number; waivedPoints: number }>(
      // COALESCE: with a list of members, SQLite would otherwise walk the orderId index's NULLs (the whole ledger).
      `SELECT "id", "memberId", "occurredAt", "points", "waivedPoints" FROM "LedgerEntry" WHERE "memberId" IN (${IN_LIST}) AND "qualifying" = 1 AND COALESCE("orderId", '') = ''`,
      ...list,
    );
    for (const c of rows) {
      const credit = { id: c.id, at: new Date(c.occurredAt), points: c.points - c.waivedPoints };
      const credits = creditsOf.get(c.memberId);
      if (credits) credits.push(credit);
      else creditsOf.set(c.memberId, [credit]);
    }
    for (const memberId of list) {
      if (memberId === null) continue;
      const records = ordersOf.get(memberId) ?? [];
      const priced = priceFromHistory(records.map(timelineOrder).filter((o): o is TimelineOrder => o !== null), creditsOf.get(memberId) ?? []);
      const same = records.every((r) => {
        const outcome = priced.get(r.id);
        return !outcome || (outcome.earned === r.earnedPoints && outcome.reversed === r.reversedPoints);
      });
      if (!same) changed.push(memberId);
    }
  }
  return changed;
}
