import type { OutboxHandlers } from "../../app/jobs/outbox-worker.server";
import db from "../../app/db.server";
import { issueRedemption, type IssueOutcome } from "../../app/loyalty/redemptions.server";
import { clientFor } from "./connection.server";
import { wooCouponIssuer } from "./coupon-issuer.server";

/**
 * Creates a pending redemption's coupon on the shop's WooCommerce store. "not_woocommerce" for a
 * shop that has no WooCommerce connection, so a dispatcher can hand the message to another platform.
 */
export async function issueWooRedemption(shopId: string, redemptionId: string): Promise<IssueOutcome | "not_woocommerce"> {
  const connection = await db.wooConnection.findUnique({ where: { shopId } });
  if (!connection) return "not_woocommerce";
  if (connection.status !== "CONNECTED") return "retry_later";
  return issueRedemption(db, redemptionId, wooCouponIssuer(await clientFor(db, connection.id)));
}

/**
 * The outbox work of WooCommerce shops. "redemption.issue" is also handled by the Shopify adapter
 * (app/platforms/shopify/outbox-handlers.server.ts), which ignores non-Shopify shops; the worker
 * takes one handler per kind, so the scheduler must dispatch by the shop's platform (see
 * docs/decisions/011-woocommerce.md).
 */
export const wooOutboxHandlers: OutboxHandlers = {
  async "redemption.issue"(message, payload) {
    const outcome = await issueWooRedemption(message.shopId, String(payload.redemptionId));
    if (outcome === "retry_later") throw new Error("WooCommerce did not create the coupon yet");
  },
};
