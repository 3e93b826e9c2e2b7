import type { Db } from "../db.server";

/** The numbers on the admin home page. */
export async function programOverview(db: Db, shopDomain: string) {
  const shop = await db.shop.findUnique({
    where: { domain: shopDomain },
    include: { program: true, tiers: { orderBy: { position: "asc" } }, earningRules: true },
  });
  if (!shop?.program) return null;
  const [members, outstanding] = await Promise.all([
    db.member.count({ where: { shopId: shop.id } }),
    db.member.aggregate({ where: { shopId: shop.id, balance: { gt: 0 } }, _sum: { balance: true } }),
  ]);
  const purchase = shop.earningRules.find((r) => r.kind === "PURCHASE" && r.active) ?? null;
  return {
    currency: shop.currency,
    members,
    pointsOutstanding: outstanding._sum.balance ?? 0,
    purchase: purchase ? { points: purchase.points, spendMinor: purchase.spendMinor } : null,
    tiers: shop.tiers.map((t) => ({ id: t.id, name: t.name, threshold: t.threshold, multiplierPercent: t.multiplierPercent })),
  };
}
