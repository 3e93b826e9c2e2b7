import type { Db } from "../db.server";
import { timelineOrder } from "./orders.server";
import { pastBaselinesOf } from "./past-baselines.server";
import { reconcileMember } from "./reconcile.server";
import { loadShopContext } from "./shop-context.server";
import { memberTimeline, type TierRules, type TimelineCredit, type TimelineOrder } from "./timeline";
import { writeTransaction } from "./transaction.server";

/**
 * How many current members would hold each tier under `rules`, computed with the same timeline
 * that moves members for real (so the preview is what saving would do). Keys are the ladder's
 * tier ids; "none" counts members below the lowest threshold.
 */
export async function previewTierDistribution(db: Db, shopId: string, rules: TierRules, batch = 500): Promise<Record<string, number>> {
  const counts: Record<string, number> = { none: 0 };
  for (const step of rules.ladder) counts[step.tierId] = 0;
  let cursor: string | undefined;
  for (;;) {
    const members = await db.member.findMany({
      where: { shopId, redactedAt: null },
      select: { id: true, tierBaselineId: true, tierBaselineAt: true },
      orderBy: { id: "asc" },
      take: batch,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    if (members.length === 0) break;
    cursor = members[members.length - 1].id;
    const ids = members.map((m) => m.id);
    const [records, credits] = await Promise.all([
      db.orderRecord.findMany({ where: { shopId, memberId: { in: ids } } }),
      db.ledgerEntry.findMany({
        where: { memberId: { in: ids }, orderId: null, qualifying: true },
        select: { id: true, memberId: true, occurredAt: true, points: true, waivedPoints: true },
      }),
    ]);
    const ordersOf = new Map<string, TimelineOrder[]>();
    for (const record of records) {
      const order = timelineOrder(record);
      if (!order || !record.memberId) continue;
      (ordersOf.get(record.memberId) ?? ordersOf.set(record.memberId, []).get(record.memberId)!).push(order);
    }
    const past = await pastBaselinesOf(db, ids);
    const creditsOf = new Map<string, TimelineCredit[]>();
    for (const c of credits) {
      (creditsOf.get(c.memberId) ?? creditsOf.set(c.memberId, []).get(c.memberId)!).push({ id: c.id, at: c.occurredAt, points: c.points - c.waivedPoints });
    }
    for (const member of members) {
      // A baseline from a period-end evaluation names a tier of the old ladder; a new ladder starts
      // from the member's history alone.
      const baselineKnown = rules.ladder.some((s) => s.tierId === member.tierBaselineId);
      const result = memberTimeline({
        orders: (ordersOf.get(member.id) ?? []).sort((a, b) => a.processedAt.getTime() - b.processedAt.getTime()),
        credits: creditsOf.get(member.id) ?? [],
        current: rules,
        baseline: baselineKnown ? { tierId: member.tierBaselineId, at: member.tierBaselineAt } : { tierId: null, at: null },
        earlier: past.get(member.id),
      });
      counts[result.tierId ?? "none"] = (counts[result.tierId ?? "none"] ?? 0) + 1;
    }
    if (members.length < batch) break;
  }
  return counts;
}

/**
 * Re-evaluates every member of the shop against the current tiers (after the merchant changed
 * them): each member is reconciled in its own short transaction, so webhooks keep flowing while
 * a large shop is processed. Points of past orders do not change (their earning basis is frozen);
 * tiers do, with their tier changes, entry rewards and tier syncs.
 */
export async function reevaluateMembers(db: Db, domain: string, now = new Date(), batch = 200) {
  let cursor: string | undefined;
  let members = 0;
  let changed = 0;
  for (;;) {
    const page = await db.member.findMany({
      where: { shop: { domain }, redactedAt: null },
      select: { id: true },
      orderBy: { id: "asc" },
      take: batch,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    if (page.length === 0) break;
    cursor = page[page.length - 1].id;
    for (const { id } of page) {
      const moved = await writeTransaction(db, async (tx) => {
        const ctx = await loadShopContext(tx, domain);
        const member = await tx.member.findUnique({ where: { id } });
        if (!ctx || !member) return false;
        // Baselines name tiers of the old ladder; a tier that no longer exists cannot anchor.
        if (member.tierBaselineId && !ctx.tiers.some((t) => t.id === member.tierBaselineId)) {
          member.tierBaselineId = null;
          member.tierBaselineAt = null;
          await tx.member.update({ where: { id }, data: { tierBaselineId: null, tierBaselineAt: null } });
        }
        const after = await reconcileMember(tx, ctx, member, now);
        return after.tierId !== member.tierId;
      });
      members += 1;
      if (moved) changed += 1;
    }
    if (page.length < batch) break;
  }
  return { members, changed };
}
