import type { Db } from "../db.server";
import { reevaluateMembers } from "../loyalty/tier-evaluation.server";
import { writeTransaction } from "../loyalty/transaction.server";

export async function isOnboarded(db: Db, shopId: string) {
  return (await db.adminSetup.findUnique({ where: { shopId } })) !== null;
}

/**
 * The one-click program of the first-run page: 1 point per currency unit, 100 welcome points,
 * Bronze/Silver/Gold at 0/500/1,000 points with 5/10/15% rewards for their members, free shipping
 * from Silver up, and the two everyday rewards. Existing rewards stay (disabled ones stay
 * disabled); tiers are replaced and every member re-evaluated. The merchant edits all of it after.
 */
export async function applyDefaultProgram(db: Db, shopId: string, now = new Date()) {
  const shop = await writeTransaction(db, async (tx) => {
    const shop = await tx.shop.findUniqueOrThrow({ where: { id: shopId } });
    const unit = shop.currency === "JPY" ? 1 : 100;
    await tx.program.update({ where: { shopId }, data: { active: true, tierBasis: "POINTS", tierPeriod: "LIFETIME" } });
    for (const rule of [
      { kind: "PURCHASE" as const, points: 1, spendMinor: unit },
      { kind: "SIGNUP" as const, points: 100, spendMinor: 100 },
      { kind: "BIRTHDAY" as const, points: 200, spendMinor: 100 },
    ]) {
      await tx.earningRule.upsert({ where: { shopId_kind: { shopId, kind: rule.kind } }, create: { shopId, ...rule }, update: { ...rule, active: true } });
    }
    const ladder = [
      { name: "Bronze", threshold: 0, multiplierPercent: 100, percentage: 5, perks: ["5% off reward"] },
      { name: "Silver", threshold: 500, multiplierPercent: 125, percentage: 10, perks: ["10% off reward", "Free shipping reward"] },
      { name: "Gold", threshold: 1000, multiplierPercent: 150, percentage: 15, perks: ["15% off reward", "Free shipping reward", "1.5× points"] },
    ];
    const existing = await tx.tier.findMany({ where: { shopId }, orderBy: { position: "asc" } });
    for (const [i, t] of existing.entries()) await tx.tier.update({ where: { id: t.id }, data: { position: -1 - i } });
    const tierIds: string[] = [];
    for (const [position, t] of ladder.entries()) {
      const data = { name: t.name, position, threshold: t.threshold, multiplierPercent: t.multiplierPercent, perks: JSON.stringify(t.perks), retainThreshold: null, entryRewardId: null };
      const reuse = existing[position];
      tierIds.push(reuse ? (await tx.tier.update({ where: { id: reuse.id }, data })).id : (await tx.tier.create({ data: { shopId, ...data } })).id);
    }
    await tx.tier.deleteMany({ where: { shopId, id: { notIn: tierIds } } });
    const wanted = [
      ...ladder.map((t, i) => ({ name: `${t.name}: ${t.percentage}% off`, kind: "PERCENTAGE" as const, percentage: t.percentage, pointsCost: 500 + i * 250, minimumTierId: tierIds[i] })),
      { name: "Free shipping", kind: "FREE_SHIPPING" as const, percentage: 0, pointsCost: 300, minimumTierId: tierIds[1] },
      { name: "5 off", kind: "FIXED_AMOUNT" as const, percentage: 0, pointsCost: 500, minimumTierId: null, valueMinor: 5 * unit },
    ];
    for (const reward of wanted) {
      const found = await tx.reward.findFirst({ where: { shopId, name: reward.name } });
      if (found) await tx.reward.update({ where: { id: found.id }, data: { minimumTierId: reward.minimumTierId } });
      else await tx.reward.create({ data: { shopId, ...reward } });
    }
    await tx.adminSetup.upsert({ where: { shopId }, create: { shopId, onboardedAt: now, choice: "defaults" }, update: { onboardedAt: now, choice: "defaults" } });
    return shop;
  });
  return reevaluateMembers(db, shop.domain, now);
}

export async function skipOnboarding(db: Db, shopId: string, now = new Date()) {
  await db.adminSetup.upsert({ where: { shopId }, create: { shopId, onboardedAt: now, choice: "skipped" }, update: {} });
}
