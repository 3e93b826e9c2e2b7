import type { Member } from "@prisma/client";
import type { Tx } from "../db.server";
import { appendEntry, type EntryInput } from "./ledger.server";
import { reachedAwardMoment, timelineOrder } from "./orders.server";
import { enqueue } from "./outbox.server";
import { currentEarnBasis, currentTierRules, type ShopContext } from "./shop-context.server";
import { memberTimeline, type TimelineCredit, type TimelineOrder } from "./timeline";

/**
 * Brings a member's order entries, cached numbers and tier in line with everything known about
 * them. Running it twice writes nothing the second time; a late or repeated delivery only ever
 * writes the difference. Callers hold the write transaction (see writeTransaction).
 */
export async function reconcileMember(tx: Tx, ctx: ShopContext, memberId: string, now: Date): Promise<Member> {
  const member = await tx.member.findUniqueOrThrow({ where: { id: memberId } });
  const records = await tx.orderRecord.findMany({ where: { memberId }, orderBy: { processedAt: "asc" } });

  const basis = JSON.stringify(currentEarnBasis(ctx));
  for (const record of records) {
    if (!record.earnBasis && reachedAwardMoment(record, ctx)) {
      record.earnBasis = basis;
      await tx.orderRecord.update({ where: { id: record.id }, data: { earnBasis: basis } });
    }
  }
  const orders = records.map(timelineOrder).filter((o): o is TimelineOrder => o !== null);

  const creditRows = await tx.ledgerEntry.findMany({
    where: { memberId, orderId: null, qualifying: true },
    select: { id: true, occurredAt: true, points: true, waivedPoints: true },
  });
  const credits: TimelineCredit[] = creditRows.map((c) => ({ id: c.id, at: c.occurredAt, points: c.points - c.waivedPoints }));

  const result = memberTimeline({
    orders,
    credits,
    current: currentTierRules(ctx),
    baseline: { tierId: member.tierBaselineId, at: member.tierBaselineAt },
  });

  const written = await tx.ledgerEntry.groupBy({
    by: ["orderId", "kind"],
    where: { memberId, orderId: { not: null } },
    _sum: { points: true, waivedPoints: true },
    _count: { _all: true },
  });
  const sums = new Map(written.map((row) => [`${row.orderId}|${row.kind}`, row]));
  const asked = (orderId: string, kind: string) => {
    const row = sums.get(`${orderId}|${kind}`);
    return { points: (row?._sum.points ?? 0) - (row?._sum.waivedPoints ?? 0), count: row?._count._all ?? 0 };
  };

  const pending: EntryInput[] = [];
  const domain = ctx.shop.domain;
  for (const record of records) {
    const outcome = result.orders.get(record.id);
    if (!outcome) continue;
    const label = record.name ?? `#${record.platformOrderId}`;
    const earn = asked(record.id, "ORDER_EARN");
    if (outcome.earned !== earn.points) {
      pending.push({
        kind: "ORDER_EARN",
        points: outcome.earned - earn.points,
        qualifying: true,
        reason: earn.count === 0 ? `Order ${label}` : `Order ${label}: recalculated after an earlier event arrived`,
        sourceType: "order",
        sourceId: record.platformOrderId,
        orderId: record.id,
        idempotencyKey: `order:${domain}:${record.platformOrderId}:earn${earn.count === 0 ? "" : `:${earn.count}`}`,
        occurredAt: record.processedAt!,
      });
    }
    const reversal = asked(record.id, "ORDER_REVERSAL");
    if (-outcome.reversed !== reversal.points) {
      const cancelled = record.cancelledAt !== null;
      const refunds = JSON.parse(record.refunds) as { refundId: string; createdAt: string }[];
      const lastRefund = refunds[refunds.length - 1];
      pending.push({
        kind: "ORDER_REVERSAL",
        points: -outcome.reversed - reversal.points,
        qualifying: true,
        reason: cancelled ? `Order ${label} cancelled` : `Refund on order ${label}`,
        sourceType: cancelled ? "cancellation" : "refund",
        sourceId: cancelled ? record.platformOrderId : (lastRefund?.refundId ?? null),
        orderId: record.id,
        idempotencyKey: `order:${domain}:${record.platformOrderId}:reversal:${reversal.count + 1}`,
        occurredAt: cancelled ? record.cancelledAt! : lastRefund ? new Date(lastRefund.createdAt) : now,
      });
    }
    if (record.earnedPoints !== outcome.earned || record.reversedPoints !== outcome.reversed) {
      await tx.orderRecord.update({
        where: { id: record.id },
        data: { earnedPoints: outcome.earned, reversedPoints: outcome.reversed },
      });
    }
  }

  // Credits before debits: a correction pair (earn down, reversal down) must never dip below zero
  // on the way, or the floor policy would waive points that the pair as a whole does not take.
  pending.sort((a, b) => Number(a.points < 0) - Number(b.points < 0));
  const balance = { id: member.id, shopId: member.shopId, balance: member.balance, lifetimePoints: member.lifetimePoints };
  for (const entry of pending) await appendEntry(tx, balance, ctx.program.negativeBalancePolicy, entry);

  const lastOrderAt = records.reduce<Date | null>(
    (latest, r) => (r.processedAt && (!latest || r.processedAt > latest) ? r.processedAt : latest),
    null,
  );
  const tierChanged = result.tierId !== member.tierId;
  if (tierChanged) {
    const from = ctx.tiers.find((t) => t.id === member.tierId);
    const to = ctx.tiers.find((t) => t.id === result.tierId);
    const direction = !from || (to && to.threshold > from.threshold) ? "UP" : "DOWN";
    await tx.tierChange.create({
      data: {
        shopId: ctx.shop.id,
        memberId,
        fromTierId: member.tierId,
        toTierId: result.tierId,
        direction,
        reason: direction === "UP" ? "qualified" : "history corrected by a late event",
      },
    });
    await enqueue(tx, ctx.shop.id, "tier.changed", {
      memberId,
      platformCustomerId: member.platformCustomerId,
      fromTierId: member.tierId,
      toTierId: result.tierId,
      direction,
    });
  }
  if (tierChanged || lastOrderAt?.getTime() !== member.lastOrderAt?.getTime()) {
    await tx.member.update({
      where: { id: memberId },
      data: {
        tierId: result.tierId,
        tierSince: tierChanged ? now : member.tierSince,
        lastOrderAt,
      },
    });
  }
  return tx.member.findUniqueOrThrow({ where: { id: memberId } });
}
