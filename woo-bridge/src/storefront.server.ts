import { z } from "zod";
import type { Db } from "../../app/db.server";
import { pickLocale, translate, type MessageKey } from "../../app/i18n/messages";
import { issueRedemption, redeem } from "../../app/loyalty/redemptions.server";
import { clientFor, pluginSecretOf } from "./connection.server";
import { wooCouponIssuer } from "./coupon-issuer.server";
import { verifyPluginSignature } from "./plugin-signature";
import { storefrontStatus } from "../../app/loyalty/status.server";

/**
 * The storefront API the WordPress plugin calls server to server (its REST route is the widget's
 * data-endpoint): GET status and POST redeem, for the customer the plugin signed for. A bad, stale
 * or missing signature is a 401 before anything is read or written.
 */
export interface WooShopper {
  connectionId: string;
  shopDomain: string;
  customerId: string | null;
  body: string;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers: { "Cache-Control": "no-store", ...headers } });

export async function authenticateWooShopper(db: Db, request: Request, connectionId: string): Promise<WooShopper | Response> {
  const body = request.method === "GET" || request.method === "HEAD" ? "" : await request.text();
  if (body.length > 64 * 1024) return json(413, { error: "body too large" });
  const connection = await db.wooConnection.findUnique({ where: { id: connectionId } });
  if (!connection || connection.status !== "CONNECTED") return json(404, { error: "unknown connection" });
  const customerId = request.headers.get("x-tierwise-customer") ?? "";
  const valid = verifyPluginSignature(pluginSecretOf(connection), {
    timestamp: request.headers.get("x-tierwise-timestamp"),
    customerId,
    signature: request.headers.get("x-tierwise-signature"),
    method: request.method,
    path: new URL(request.url).pathname,
    body,
  });
  if (!valid) return json(401, { error: "invalid plugin signature" });
  const shop = await db.shop.findUniqueOrThrow({ where: { id: connection.shopId }, select: { domain: true, uninstalledAt: true } });
  if (shop.uninstalledAt) return json(404, { error: "unknown connection" });
  return { connectionId, shopDomain: shop.domain, customerId: customerId || null, body };
}

const localeOf = (request: Request) => pickLocale(new URL(request.url).searchParams.get("locale") ?? request.headers.get("accept-language"));

export async function wooStatus(db: Db, request: Request, shopper: WooShopper): Promise<Response> {
  const status = await storefrontStatus(db, { shopDomain: shopper.shopDomain, platformCustomerId: shopper.customerId });
  if (!status) return json(404, { error: "not_installed", message: translate(localeOf(request), "woo.storefront.unavailable") });
  return json(200, status, { "Cache-Control": "private, no-store" });
}

const RedeemBody = z.object({
  rewardId: z.string().min(1).max(64),
  requestId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  points: z.number().int().positive().max(10_000_000).optional(),
});

/** A signed-in customer redeems: debit and pending coupon in one transaction, then the coupon on the store. */
export async function wooRedeem(db: Db, request: Request, shopper: WooShopper): Promise<Response> {
  const locale = localeOf(request);
  const message = (key: MessageKey) => translate(locale, key);
  if (!shopper.customerId) return json(401, { error: "unknown_member", message: message("redeem.unknown_member") });
  let body: z.infer<typeof RedeemBody>;
  try {
    const parsed = RedeemBody.safeParse(JSON.parse(shopper.body));
    if (!parsed.success) return json(400, { error: "invalid_request", message: message("redeem.invalid_request"), issues: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) });
    body = parsed.data;
  } catch {
    return json(400, { error: "invalid_request", message: message("redeem.invalid_request") });
  }
  const member = await db.member.findFirst({
    where: { shop: { domain: shopper.shopDomain }, platformCustomerId: shopper.customerId, redactedAt: null },
    select: { id: true },
  });
  if (!member) return json(404, { error: "unknown_member", message: message("redeem.unknown_member") });
  const result = await redeem(db, { shopDomain: shopper.shopDomain, memberId: member.id, ...body });
  if (!result.ok) {
    const status = result.reason === "insufficient_points" || result.reason === "tier_required" ? 422 : result.reason === "request_conflict" ? 409 : 400;
    return json(status, { error: result.reason, message: message(`redeem.${result.reason}` as MessageKey) });
  }
  let redemption = result.redemption;
  if (redemption.status === "PENDING") {
    // A store that is down leaves it pending: reconciliation's recovery finishes or refunds it.
    await issueRedemption(db, redemption.id, wooCouponIssuer(await clientFor(db, shopper.connectionId, { maxAttempts: 2 })));
    redemption = await db.redemption.findUniqueOrThrow({ where: { id: redemption.id } });
  }
  const balance = (await db.member.findUniqueOrThrow({ where: { id: member.id }, select: { balance: true } })).balance;
  const issued = redemption.status === "ISSUED" || redemption.status === "USED";
  return json(redemption.status === "FAILED" ? 422 : 200, {
    redemption: {
      id: redemption.id,
      status: redemption.status,
      code: issued ? redemption.code : null,
      expiresAt: redemption.expiresAt.toISOString(),
      pointsSpent: redemption.pointsSpent,
    },
    balance,
    message: message(redemption.status === "FAILED" ? "redeem.failed" : issued ? "redeem.issued" : "redeem.pending"),
  });
}
