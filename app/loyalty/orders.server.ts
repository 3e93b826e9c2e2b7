import type { OrderRecord } from "@prisma/client";
import type { Tx } from "../db.server";
import { sqlOf } from "./transaction.server";
import { eligibleMinor, refundedEligibleMinor } from "./earning";
import { currentEarnBasis, type ShopContext } from "./shop-context.server";
import type { TimelineOrder } from "./timeline";
import type { EarnBasis, OrderFacts, OrderGoods, RefundFacts } from "./types";

function earlier(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a <= b ? a : b;
}

function mergeRefunds(existing: RefundFacts[], incoming: RefundFacts[]): RefundFacts[] {
  const byId = new Map(existing.map((r) => [r.refundId, r]));
  for (const refund of incoming) if (!byId.has(refund.refundId)) byId.set(refund.refundId, refund);
  return [...byId.values()].sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.refundId < b.refundId ? -1 : 1),
  );
}

export function parseRefunds(text: string): RefundFacts[] {
  return (JSON.parse(text) as (RefundFacts & { createdAt: string })[]).map((r) => ({
    ...r,
    createdAt: new Date(r.createdAt),
  }));
}

function goodsOf(facts: OrderFacts): OrderGoods {
  const { lines, shippingMinor, shippingTaxMinor, taxesIncluded } = facts;
  return { lines, shippingMinor, shippingTaxMinor, taxesIncluded };
}

/**
 * Merges what one delivery says about an order into what we already know. Facts only accumulate
 * (paid, fulfilled, cancelled, refunds by id), so deliveries in any order end in the same record.
 */
export async function recordOrderFacts(tx: Tx, ctx: ShopContext, facts: OrderFacts, memberId: string | null): Promise<OrderRecord> {
  const sql = sqlOf(tx);
  const existing = orderByPlatformId(tx, ctx.shop.id, facts.platformOrderId);
  const refunds = mergeRefunds(existing ? parseRefunds(existing.refunds) : [], facts.refunds);
  const codes = new Set<string>([
    ...(existing ? (JSON.parse(existing.discountCodes) as string[]) : []),
    ...facts.discountCodes,
  ]);
  // Once awarded, what was bought is settled: later changes to an order arrive as refunds.
  const goods = existing?.earnBasis && existing.goods ? existing.goods : JSON.stringify(goodsOf(facts));
  const data = {
    memberId: memberId ?? existing?.memberId ?? null,
    platformCustomerId: facts.customer?.platformCustomerId ?? existing?.platformCustomerId ?? null,
    email: facts.email?.toLowerCase() ?? existing?.email ?? null,
    name: facts.name ?? existing?.name ?? null,
    currency: facts.currency,
    sourceName: facts.sourceName,
    processedAt: facts.processedAt,
    paidAt: earlier(existing?.paidAt ?? null, facts.paidAt),
    fulfilledAt: earlier(existing?.fulfilledAt ?? null, facts.fulfilledAt),
    cancelledAt: earlier(existing?.cancelledAt ?? null, facts.cancelledAt),
    goods,
    refunds: JSON.stringify(refunds),
    discountCodes: JSON.stringify([...codes]),
  };
  // The settings in force when the order reaches the award moment are frozen on it (guest orders
  // too), so later program changes never rewrite it.
  const earnBasis =
    existing?.earnBasis ??
    (reachedAwardMoment({ ...data, processedAt: facts.processedAt }, ctx) ? JSON.stringify(currentEarnBasis(ctx)) : null);
  if (existing) {
    sql.update("OrderRecord", existing.id, { ...data, earnBasis });
  } else {
    sql.insert("OrderRecord", { shopId: ctx.shop.id, platformOrderId: facts.platformOrderId, ...data, earnBasis });
  }
  return orderByPlatformId(tx, ctx.shop.id, facts.platformOrderId)!;
}

function orderByPlatformId(tx: Tx, shopId: string, platformOrderId: string): OrderRecord | null {
  return sqlOf(tx).one<OrderRecord>("OrderRecord", `SELECT * FROM "OrderRecord" WHERE "shopId" = ? AND "platformOrderId" = ?`, shopId, platformOrderId);
}

/** A refund can arrive before its order; it then waits on a record that has no goods yet. */
export async function recordRefund(tx: Tx, ctx: ShopContext, platformOrderId: string, refund: RefundFacts): Promise<OrderRecord> {
  const sql = sqlOf(tx);
  const existing = orderByPlatformId(tx, ctx.shop.id, platformOrderId);
  const refunds = JSON.stringify(mergeRefunds(existing ? parseRefunds(existing.refunds) : [], [refund]));
  if (existing) sql.update("OrderRecord", existing.id, { refunds });
  else sql.insert("OrderRecord", { shopId: ctx.shop.id, platformOrderId, refunds });
  return orderByPlatformId(tx, ctx.shop.id, platformOrderId)!;
}

export function reachedAwardMoment(
  order: Pick<OrderRecord, "processedAt" | "goods" | "paidAt" | "fulfilledAt">,
  ctx: ShopContext,
): boolean {
  if (!order.processedAt || !order.goods) return false;
  return ctx.program.awardOn === "PAID" ? order.paidAt !== null : order.fulfilledAt !== null;
}

/**
 * Orders awarded under the same settings carry the same frozen basis text; a member's timeline is
 * replayed on every event, so parse each distinct text once (bounded; callers never mutate it).
 */
const bases = new Map<string, EarnBasis>();
function parsedBasis(text: string): EarnBasis {
  let basis = bases.get(text);
  if (!basis) {
    if (bases.size >= 256) bases.clear();
    basis = JSON.parse(text) as EarnBasis;
    bases.set(text, basis);
  }
  return basis;
}

/** The order as the timeline sees it, or null while it has not been awarded. */
export function timelineOrder(order: OrderRecord): TimelineOrder | null {
  if (!order.earnBasis || !order.processedAt || !order.goods) return null;
  const basis = parsedBasis(order.earnBasis);
  const goods = JSON.parse(order.goods) as OrderGoods;
  return {
    id: order.id,
    processedAt: order.processedAt,
    basis,
    eligibleMinor: eligibleMinor(goods, basis),
    refunds: parseRefunds(order.refunds).map((refund) => ({
      refundId: refund.refundId,
      at: refund.createdAt,
      refundedEligibleMinor: refundedEligibleMinor(goods, refund, basis),
    })),
    cancelledAt: order.cancelledAt,
  };
}
