import type { Db } from "../../app/db.server";
import { pickLocale, translate } from "../../app/i18n/messages";
import { redeemFromStorefront } from "../../app/loyalty/storefront-redeem.server";
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

/** A signed-in customer redeems: the shared storefront redemption, with the coupon created on the store. */
export async function wooRedeem(db: Db, request: Request, shopper: WooShopper): Promise<Response> {
  const answer = await redeemFromStorefront(db, {
    shopDomain: shopper.shopDomain,
    customerId: shopper.customerId,
    body: shopper.body,
    locale: localeOf(request),
    // A store that is down leaves it pending: reconciliation's recovery finishes or refunds it.
    issuer: async () => wooCouponIssuer(await clientFor(db, shopper.connectionId, { maxAttempts: 2 })),
  });
  return json(answer.status, answer.body);
}
