import type { Db } from "../../app/db.server";

/**
 * Where the WooCommerce storefront gets its status JSON. The platform-neutral service is
 * app/loyalty/status.server.ts storefrontStatus() (issue 3); until that is on this branch this
 * stand-in answers with the member's balance and tier only. Replace the body with
 * `export { storefrontStatus } from "../../app/loyalty/status.server";` once it is merged.
 */
export async function storefrontStatus(db: Db, input: { shopDomain: string; platformCustomerId: string | null }, _now = new Date()) {
  const shop = await db.shop.findUnique({ where: { domain: input.shopDomain } });
  if (!shop) return null;
  if (!input.platformCustomerId) return { viewer: "guest" as const, program: null, member: null };
  const member = await db.member.findFirst({
    where: { shopId: shop.id, platformCustomerId: input.platformCustomerId, redactedAt: null },
    include: { tier: true },
  });
  if (!member) return { viewer: "customer" as const, program: null, member: null };
  return { viewer: "member" as const, program: null, member: { balance: member.balance, tier: member.tier ? { id: member.tier.id, name: member.tier.name } : null } };
}
