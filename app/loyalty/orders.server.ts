import type { OrderRecord } from "@prisma/client";
import type { Tx } from "../db.server";
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
export async function recordOrderFacts(tx: Tx, ctx: ShopContext, facts: OrderFacts, memberId: string | null) {
  const key = { shopId_platformOrderId: { shopId: ctx.shop.id, platformOrderId: facts.platformOrderId } };
  const existing = await tx.orderRecord.findUnique({ where: key });
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
  if (existing) return tx.orderRecord.update({ where: { id: existing.id }, data: { ...data, earnBasis } });
  return tx.orderRecord.create({ data: { shopId: ctx.shop.id, platformOrderId: facts.platformOrderId, ...data, earnBasis } });
}

/** A refund can arrive before its order; it then waits on a record that has no goods yet. */
export async function recordRefund(tx: Tx, ctx: ShopContext, platformOrderId: string, refund: RefundFacts) {
  const key = { shopId_platformOrderId: { shopId: ctx.shop.id, platformOrderId } };
  const existing = await tx.orderRecord.findUnique({ where: key });
  const refunds = JSON.stringify(mergeRefunds(existing ? parseRefunds(existing.refunds) : [], [refund]));
  if (existing) return tx.orderRecord.update({ where: { id: existing.id }, data: { refunds } });
  return tx.orderRecord.create({ data: { shopId: ctx.shop.id, platformOrderId, refunds } });
}

export function reachedAwardMoment(
  order: Pick<OrderRecord, "processedAt" | "goods" | "paidAt" | "fulfilledAt">,
  ctx: ShopContext,
): boolean {
  if (!order.processedAt || !order.goods) return false;
  return ctx.program.awardOn === "PAID" ? order.paidAt !== null : order.fulfilledAt !== null;
}

/** The order as the timeline sees it, or null while it has not been awarded. */
export function timelineOrder(order: OrderRecord): TimelineOrder | null {
  if (!order.earnBasis || !order.processedAt || !order.goods) return null;
  const basis = JSON.parse(order.earnBasis) as EarnBasis;
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
