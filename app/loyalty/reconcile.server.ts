import type { Member, OrderRecord, TierOverride } from "@prisma/client";
import type { Tx } from "../db.server";
import { appendEntry, type EntryInput } from "./ledger.server";
import { timelineOrder } from "./orders.server";
import { pastBaselines } from "./past-baselines.server";
import { queueMessage } from "./notifications.server";
import { enqueue } from "./outbox.server";
import { grantReward } from "./redemptions.server";
import { currentTierRules, type ShopContext } from "./shop-context.server";
import { memberTimeline, type TimelineCredit, type TimelineOrder } from "./timeline";
import { sqlOf } from "./transaction.server";

/**
 * Brings a member's order entries, cached numbers and tier in line with everything known about
 * them. Running it twice writes nothing the second time; a late or repeated delivery only ever
 * writes the difference. Callers hold the write transaction (see writeTransaction).
 */
export async function reconcileMember(tx: Tx, ctx: ShopContext, member: Member, now: Date): Promise<Member> {
  const sql = sqlOf(tx);
  const memberId = member.id;
  const records = sql.many<OrderRecord>(
    "OrderRecord",
    `SELECT * FROM "OrderRecord" WHERE "shopId" = ? AND "memberId" = ? ORDER BY "processedAt" ASC`,
    member.shopId, memberId,
  );
  const orders = records.map(timelineOrder).filter((o): o is TimelineOrder => o !== null);

  const creditRows = sql.all<{ id: string; occurredAt: string; points: number; waivedPoints: number }>(
    `SELECT "id", "occurredAt", "points", "waivedPoints" FROM "LedgerEntry" WHERE "memberId" = ? AND "orderId" IS NULL AND "qualifying" = 1`,
    memberId,
  );
  const credits: TimelineCredit[] = creditRows.map((c) => ({ id: c.id, at: new Date(c.occurredAt), points: c.points - c.waivedPoints }));

  const result = memberTimeline({
    orders,
    credits,
    current: currentTierRules(ctx),
    baseline: { tierId: member.tierBaselineId, at: member.tierBaselineAt },
    earlier: pastBaselines(sql, memberId),
  });

  const pending: EntryInput[] = [];
  const domain = ctx.shop.domain;
  for (const record of records) {
    const outcome = result.orders.get(record.id);
    if (!outcome) continue;
    const label = record.name ?? `#${record.platformOrderId}`;
    const earnDelta = outcome.earned - record.earnedPoints;
    if (earnDelta !== 0) {
      const n = record.earnEntries;
      pending.push({
        kind: "ORDER_EARN",
        points: earnDelta,
        qualifying: true,
        reason: n === 0 ? `Order ${label}` : `Order ${label}: recalculated after an earlier event arrived`,
        sourceType: "order",
        sourceId: record.platformOrderId,
        orderId: record.id,
        idempotencyKey: `order:${domain}:${record.platformOrderId}:earn${n === 0 ? "" : `:${n}`}`,
        occurredAt: record.processedAt!,
      });
      // issue 8: the member hears about an order's points once, when they are first awarded.
      if (n === 0 && earnDelta > 0) {
        await queueMessage(tx, { shopId: ctx.shop.id, memberId, trigger: "points_earned", dedupeKey: `points_earned:${record.id}`, data: { points: earnDelta, order: label }, now });
      }
    }
    const reversalDelta = record.reversedPoints - outcome.reversed;
    if (reversalDelta !== 0) {
      const cancelled = record.cancelledAt !== null;
      const refunds = JSON.parse(record.refunds) as { refundId: string; createdAt: string }[];
      const lastRefund = refunds[refunds.length - 1];
      pending.push({
        kind: "ORDER_REVERSAL",
        points: reversalDelta,
        qualifying: true,
        reason: cancelled ? `Order ${label} cancelled` : `Refund on order ${label}`,
        sourceType: cancelled ? "cancellation" : "refund",
        sourceId: cancelled ? record.platformOrderId : (lastRefund?.refundId ?? null),
        orderId: record.id,
        idempotencyKey: `order:${domain}:${record.platformOrderId}:reversal:${record.reversalEntries + 1}`,
        occurredAt: cancelled ? record.cancelledAt! : lastRefund ? new Date(lastRefund.createdAt) : now,
      });
    }
    if (earnDelta !== 0 || reversalDelta !== 0) {
      sql.update("OrderRecord", record.id, {
        earnedPoints: outcome.earned,
        reversedPoints: outcome.reversed,
        earnEntries: record.earnEntries + (earnDelta !== 0 ? 1 : 0),
        reversalEntries: record.reversalEntries + (reversalDelta !== 0 ? 1 : 0),
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
  // issue 4: a staff tier override holds until its end date, whatever the history says.
  const override = sql.one<TierOverride>("TierOverride", `SELECT * FROM "TierOverride" WHERE "memberId" = ?`, memberId);
  if (override && override.endsAt > now && ctx.tiers.some((t) => t.id === override.tierId)) result.tierId = override.tierId;
  const tierChanged = result.tierId !== member.tierId;
  if (tierChanged) {
    const from = ctx.tiers.find((t) => t.id === member.tierId);
    const to = ctx.tiers.find((t) => t.id === result.tierId);
    const direction = !from || (to && to.threshold > from.threshold) ? "UP" : "DOWN";
    const change = sql.insert<{ id: string }>("TierChange", {
      shopId: ctx.shop.id,
      memberId,
      fromTierId: member.tierId,
      toTierId: result.tierId,
      direction,
      reason: direction === "UP" ? "qualified" : "history corrected by a late event",
    });
    if (direction === "UP" && to) {
      // issue 8
      await queueMessage(tx, { shopId: ctx.shop.id, memberId, trigger: "tier_unlocked", dedupeKey: `tier_unlocked:${change.id}`, data: { tier: to.name }, now });
    }
    // Every tier passed on the way up gives its entry reward, once per member and tier.
    if (direction === "UP" && to) {
      const passed = ctx.tiers.filter((t) => t.entryRewardId && t.threshold > (from?.threshold ?? -1) && t.threshold <= to.threshold);
      for (const tier of passed) {
        await grantReward(tx, ctx.shop.id, memberId, tier.entryRewardId!, `tier-entry:${tier.id}:${memberId}`, now);
      }
    }
    await enqueue(tx, ctx.shop.id, "tier.changed", {
      memberId,
      platformCustomerId: member.platformCustomerId,
      fromTierId: member.tierId,
      toTierId: result.tierId,
      direction,
    });
  }
  const updated = { ...member, balance: balance.balance, lifetimePoints: balance.lifetimePoints };
  if (tierChanged || lastOrderAt?.getTime() !== member.lastOrderAt?.getTime()) {
    updated.tierId = result.tierId;
    updated.tierSince = tierChanged ? now : member.tierSince;
    updated.lastOrderAt = lastOrderAt;
    sql.update("Member", memberId, { tierId: result.tierId, tierSince: updated.tierSince, lastOrderAt });
  }
  return updated;
}
