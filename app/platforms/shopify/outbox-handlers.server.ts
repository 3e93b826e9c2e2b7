import type { OutboxHandlers } from "../../jobs/outbox-worker.server";
import db from "../../db.server";
import { issueRedemption } from "../../loyalty/redemptions.server";
import { unauthenticated } from "../../shopify.server";
import { shopifyDiscountIssuer } from "./discount-issuer.server";
import { syncMemberTier } from "./tier-sync.server";

async function adminFor(shopId: string) {
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId }, select: { domain: true, platform: true } });
  if (shop.platform !== "SHOPIFY") return null;
  const { admin } = await unauthenticated.admin(shop.domain);
  return admin;
}

/** What the outbox worker does for a Shopify shop's messages. */
export const shopifyOutboxHandlers: OutboxHandlers = {
  async "redemption.issue"(message, payload) {
    const admin = await adminFor(message.shopId);
    if (!admin) return;
    const outcome = await issueRedemption(db, String(payload.redemptionId), shopifyDiscountIssuer(admin.graphql));
    if (outcome === "retry_later") throw new Error("Shopify did not create the code yet");
  },
  async "tier.changed"(message, payload) {
    const admin = await adminFor(message.shopId);
    if (!admin) return;
    await syncMemberTier(db, admin.graphql, String(payload.memberId));
  },
};
