import type { Db } from "../db.server";
import { automationSettings, lastActivityAt, milestoneList } from "./automation-settings.server";
import { queueMessage } from "./notifications.server";
import { windowStart } from "./period";
import { loadShopContext } from "./shop-context.server";
import { qualifiedAmount } from "./period-end.server";
import { writeTransaction } from "./transaction.server";

const DAY = 86_400_000;

export interface EngagementCounts {
  winback: number;
  vipWinback: number;
  soClose: number;
  spendPoints: number;
  milestone: number;
}

/**
 * The nudges, each once per situation (the dedupe key names the situation):
 * - we miss you: no activity for `winbackDays` (once per spell of inactivity), and a VIP who lost a
 *   tier at a period end and has not won it back `winbackDays` later (once per loss);
 * - so close: within `soClosePercent` of the next tier's threshold (once per tier and period) or
 *   of a reward's cost (once per reward and spell of activity);
 * - spend your points: the balance affords a reward and nothing was redeemed for `spendPointsDays`;
 * - milestone: lifetime points passed one of the merchant's milestones (the highest one, once).
 */
export async function runMemberEngagement(db: Db, memberId: string, now: Date): Promise<EngagementCounts> {
  return writeTransaction(db, async (tx) => {
    const counts: EngagementCounts = { winback: 0, vipWinback: 0, soClose: 0, spendPoints: 0, milestone: 0 };
    const member = await tx.member.findUnique({ where: { id: memberId }, include: { shop: true, tier: true } });
    if (!member || member.redactedAt) return counts;
    const ctx = await loadShopContext(tx, member.shop.domain);
    if (!ctx || !ctx.program.active) return counts;
    const settings = await automationSettings(tx, member.shopId);
    const queue = (trigger: Parameters<typeof queueMessage>[1]["trigger"], dedupeKey: string, data: Record<string, string | number | null>) =>
      queueMessage(tx, { shopId: member.shopId, memberId, trigger, dedupeKey, data, now });

    const activity = await lastActivityAt(tx, memberId);
    if (activity && settings.winbackDays > 0 && now.getTime() - activity.getTime() >= settings.winbackDays * DAY) {
      const days = Math.floor((now.getTime() - activity.getTime()) / DAY);
      if (await queue("we_miss_you", `we_miss_you:${memberId}:inactive:${activity.toISOString()}`, { days, reason: "inactive" })) counts.winback++;
    }
    const lost = await tx.tierChange.findFirst({ where: { memberId, direction: "DOWN", reason: "period_end" }, orderBy: { createdAt: "desc" } });
    if (lost && settings.winbackDays > 0 && now.getTime() - lost.createdAt.getTime() >= settings.winbackDays * DAY) {
      const regained = await tx.tierChange.findFirst({ where: { memberId, direction: "UP", createdAt: { gt: lost.createdAt } }, select: { id: true } });
      const lostTier = ctx.tiers.find((t) => t.id === lost.fromTierId);
      if (!regained && lostTier) {
        if (await queue("we_miss_you", `we_miss_you:${memberId}:tier:${lost.id}`, { reason: "tier_lost", lostTier: lostTier.name })) counts.vipWinback++;
      }
    }

    const pct = settings.soClosePercent;
    if (pct > 0) {
      const heldThreshold = member.tier?.threshold ?? -1;
      const next = ctx.tiers.filter((t) => t.threshold > heldThreshold).sort((a, b) => a.threshold - b.threshold)[0];
      let close = false;
      if (next) {
        const start = windowStart(now, ctx.program.tierPeriod, ctx.shop.timezone);
        const amount = await qualifiedAmount(tx, ctx, memberId, { start: start ?? new Date(0), end: new Date(now.getTime() + 1) });
        if (amount < next.threshold && amount * 100 >= next.threshold * (100 - pct)) {
          close = true;
          const key = `so_close:${memberId}:tier:${next.id}:${start?.toISOString() ?? "lifetime"}`;
          if (await queue("so_close", key, { target: next.name, missing: next.threshold - amount })) counts.soClose++;
        }
      }
      if (!close) {
        const reward = await tx.reward.findFirst({
          where: { shopId: member.shopId, active: true, kind: { not: "VARIABLE_AMOUNT" }, pointsCost: { gt: member.balance } },
          orderBy: { pointsCost: "asc" },
        });
        if (reward && member.balance > 0 && member.balance * 100 >= reward.pointsCost * (100 - pct)) {
          const key = `so_close:${memberId}:reward:${reward.id}:${activity?.toISOString() ?? "none"}`;
          if (await queue("so_close", key, { target: reward.name, missing: reward.pointsCost - member.balance })) counts.soClose++;
        }
      }
    }

    if (settings.spendPointsDays > 0) {
      const affordable = await tx.reward.findFirst({
        where: { shopId: member.shopId, active: true, kind: { not: "VARIABLE_AMOUNT" }, pointsCost: { gt: 0, lte: member.balance } },
        orderBy: { pointsCost: "desc" },
      });
      if (affordable) {
        const lastRedemption = await tx.ledgerEntry.findFirst({ where: { memberId, kind: "REDEMPTION" }, orderBy: { occurredAt: "desc" }, select: { occurredAt: true } });
        const since = lastRedemption?.occurredAt ?? member.enrolledAt;
        if (now.getTime() - since.getTime() >= settings.spendPointsDays * DAY) {
          const key = `spend_points:${memberId}:${since.toISOString()}`;
          if (await queue("spend_points", key, { reward: affordable.name, balance: member.balance })) counts.spendPoints++;
        }
      }
    }

    const passed = milestoneList(settings).filter((m) => member.lifetimePoints >= m);
    const highest = passed[passed.length - 1];
    if (highest && (await queue("milestone", `milestone:${memberId}:${highest}`, { milestone: highest }))) counts.milestone++;
    return counts;
  });
}
