import type { Member, OrderRecord, Tier, TierPeriod } from "@prisma/client";
import type { Db, Tx } from "../db.server";
import { addMonths } from "./expiry";
import { queueMessage } from "./notifications.server";
import { timelineOrder } from "./orders.server";
import { enqueue } from "./outbox.server";
import { keepBaseline } from "./past-baselines.server";
import { localYear, windowStart, zonedTime } from "./period";
import { reconcileMember } from "./reconcile.server";
import { loadShopContext, type ShopContext } from "./shop-context.server";
import { sqlOf, writeTransaction } from "./transaction.server";

/**
 * Tier re-evaluation at the end of a qualification period. Upgrades happen at once (reconcile);
 * this is where a member who did not keep up drops: at the period end, the amount qualified in
 * the period that ended is compared with each tier's retain threshold (or its entry threshold),
 * and the member keeps the highest tier, at most the one held, whose bar they met. The result is
 * stored as the member's tier baseline, from which the timeline counts upgrades in the new period.
 * Calendar years end on 1 January in the shop's time zone; rolling periods end 12 months after
 * the last evaluation (or after the tier was reached). Lifetime tiers are never re-evaluated.
 */

export interface PeriodEnd {
  start: Date;
  end: Date;
}

type Evaluated = Pick<Member, "tierBaselineAt" | "tierSince" | "enrolledAt">;

/** The latest period end at or before `now` that this member has not been evaluated for. */
export function duePeriodEnd(ctx: ShopContext, member: Evaluated, now: Date): PeriodEnd | null {
  return periodEnds(ctx, now)(member);
}

/**
 * duePeriodEnd for the members of one shop at `now`: the calendar year's bounds are worked out
 * once (time-zone arithmetic costs far more than the rest).
 */
export function periodEnds(ctx: ShopContext, now: Date): (member: Evaluated) => PeriodEnd | null {
  const tz = ctx.shop.timezone;
  if (ctx.program.tierPeriod === "CALENDAR_YEAR") {
    const end = windowStart(now, "CALENDAR_YEAR", tz)!;
    const period = { start: zonedTime(localYear(end, tz) - 1, 1, 1, tz), end };
    return (member) => {
      if (member.tierBaselineAt && member.tierBaselineAt >= end) return null;
      if (member.enrolledAt >= end) return null;
      return { start: period.start, end: period.end };
    };
  }
  if (ctx.program.tierPeriod === "ROLLING_12_MONTHS") {
    return (member) => {
      const anchor = member.tierBaselineAt ?? member.tierSince ?? member.enrolledAt;
      const end = addMonths(anchor, 12);
      if (end > now) return null;
      return { start: addMonths(end, -12), end };
    };
  }
  return () => null;
}

const DAY = 86_400_000;

/**
 * A bound on the baselines of the members periodEnds can find due at `now` under these rules:
 * a member whose tierBaselineAt is at or after it has no period end due (one evaluated at the
 * last calendar year's end, or within the last 300 days under rolling 12 months, which is well
 * inside any 12 months however addMonths clamps). Null when no member can be due (LIFETIME).
 * For prefiltering many members in SQL; periodEnds still decides each.
 */
export function notDueFrom(tierPeriod: TierPeriod, timezone: string, now: Date): Date | null {
  if (tierPeriod === "CALENDAR_YEAR") return windowStart(now, "CALENDAR_YEAR", timezone)!;
  if (tierPeriod === "ROLLING_12_MONTHS") return new Date(now.getTime() - 300 * DAY);
  return null;
}

/** Points (or spend in minor units) that counted toward tiers in [start, end). */
export async function qualifiedAmount(tx: Tx, ctx: ShopContext, memberId: string, period: PeriodEnd): Promise<number> {
  if (ctx.program.tierBasis === "POINTS") {
    const sum = await tx.ledgerEntry.aggregate({
      where: { memberId, qualifying: true, occurredAt: { gte: period.start, lt: period.end } },
      _sum: { points: true, waivedPoints: true },
    });
    return (sum._sum.points ?? 0) - (sum._sum.waivedPoints ?? 0);
  }
  const records = await tx.orderRecord.findMany({ where: { shopId: ctx.shop.id, memberId, processedAt: { gte: period.start, lt: period.end } } });
  return qualifiedSpend(records, period);
}

/** Spend (minor units) of the orders placed in the period, net of what was refunded or cancelled before its end. */
export function qualifiedSpend(records: OrderRecord[], period: PeriodEnd): number {
  let spend = 0;
  for (const record of records) {
    const order = timelineOrder(record);
    if (!order || (order.cancelledAt && order.cancelledAt < period.end)) continue;
    spend += order.eligibleMinor - order.refunds.filter((r) => r.at < period.end).reduce((s, r) => s + r.refundedEligibleMinor, 0);
  }
  return spend;
}

/** The highest tier up to `held` whose retain bar (or entry threshold) the amount meets. */
export function tierKept(tiers: Tier[], held: Tier, amount: number): Tier | null {
  const candidates = tiers.filter((t) => t.threshold <= held.threshold).sort((a, b) => b.threshold - a.threshold);
  return candidates.find((t) => amount >= (t.retainThreshold ?? t.threshold)) ?? null;
}

export async function evaluateMemberTier(db: Db, memberId: string, now: Date): Promise<{ evaluated: number; downgraded: number }> {
  return writeTransaction(db, async (tx) => {
    const row = await tx.member.findUnique({ where: { id: memberId }, include: { shop: true } });
    if (!row || row.redactedAt || !row.tierId) return { evaluated: 0, downgraded: 0 };
    const { shop, ...member } = row;
    const ctx = await loadShopContext(tx, shop.domain);
    if (!ctx) return { evaluated: 0, downgraded: 0 };
    const period = duePeriodEnd(ctx, member, now);
    if (!period) return { evaluated: 0, downgraded: 0 };
    const held = ctx.tiers.find((t) => t.id === member.tierId);
    if (!held) return { evaluated: 0, downgraded: 0 };
    const amount = await qualifiedAmount(tx, ctx, memberId, period);
    const kept = tierKept(ctx.tiers, held, amount);
    keepBaseline(sqlOf(tx), memberId, { tierId: member.tierBaselineId, at: member.tierBaselineAt });
    let current: Member = await tx.member.update({
      where: { id: memberId },
      data: { tierBaselineId: kept?.id ?? null, tierBaselineAt: period.end },
    });
    let downgraded = 0;
    if (kept?.id !== held.id) {
      downgraded = 1;
      current = await tx.member.update({ where: { id: memberId }, data: { tierId: kept?.id ?? null, tierSince: now } });
      await recordPeriodEndDowngrade(tx, ctx, member, held, kept, amount, now);
    }
    // What was earned since the period end may already lift the member again.
    await reconcileMember(tx, ctx, current, now);
    return { evaluated: 1, downgraded };
  });
}

/**
 * What a period-end downgrade writes besides the member's row: the TierChange, the tier sync for
 * the platform and the tier_lost message (the per-member job and the set-based pass share it).
 */
export async function recordPeriodEndDowngrade(
  tx: Tx,
  ctx: ShopContext,
  member: Pick<Member, "id" | "platformCustomerId">,
  held: Tier,
  kept: Tier | null,
  amount: number,
  now: Date,
): Promise<void> {
  const change = sqlOf(tx).insert<{ id: string }>("TierChange", {
    shopId: ctx.shop.id,
    memberId: member.id,
    fromTierId: held.id,
    toTierId: kept?.id ?? null,
    direction: "DOWN",
    reason: "period_end",
    createdAt: now,
  });
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
