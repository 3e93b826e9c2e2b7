import db from "../../db.server";
import { pickLocale } from "../../i18n/messages";
import { redeemFromStorefront } from "../../loyalty/storefront-redeem.server";
import { shopifyDiscountIssuer } from "./discount-issuer.server";
import type { Shopper } from "./storefront.server";

/**
 * A signed-in shopper redeems a reward through the app proxy: the shared storefront redemption,
 * with the code created on Shopify at once (the outbox and recovery finish it if this process
 * cannot).
 */
export async function redeemForShopper(request: Request, shopper: Shopper): Promise<Response> {
  const locale = pickLocale(new URL(request.url).searchParams.get("locale") ?? request.headers.get("accept-language"));
  const answer = await redeemFromStorefront(db, {
    shopDomain: shopper.shopDomain,
    customerId: shopper.customerId,
    body: await request.text(),
    locale,
    issuer: async () => (shopper.admin ? shopifyDiscountIssuer(shopper.admin.graphql) : null),
  });
  return Response.json(answer.body, { status: answer.status, headers: { "Cache-Control": "no-store" } });
}
