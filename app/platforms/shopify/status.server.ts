import db from "../../db.server";
import { pickLocale, translate } from "../../i18n/messages";
import { storefrontStatus } from "../../loyalty/status.server";
import type { Shopper } from "./storefront.server";

/** Anonymous answers are the same for every visitor of a shop, so browsers may keep them briefly. */
export const ANONYMOUS_MAX_AGE_SECONDS = 300;

/**
 * The widget's status for the signed-in shopper (their own numbers only) or, for a visitor who is
 * not signed in, the program summary. The widget puts `customer=<id or empty>` in the storefront
 * URL, so a cached anonymous answer is never reused for a signed-in page.
 */
export async function statusForShopper(request: Request, shopper: Shopper): Promise<Response> {
  const locale = pickLocale(new URL(request.url).searchParams.get("locale") ?? request.headers.get("accept-language"));
  const status = await storefrontStatus(db, { shopDomain: shopper.shopDomain, platformCustomerId: shopper.customerId });
  if (!status) {
    return Response.json(
      { error: "not_installed", message: translate(locale, "status.unavailable") },
      { status: 404, headers: { "Cache-Control": "no-store" } },
    );
  }
  const cache = shopper.customerId ? "private, no-store" : `public, max-age=${ANONYMOUS_MAX_AGE_SECONDS}`;
  return Response.json(status, { headers: { "Cache-Control": cache, Vary: "Accept-Language" } });
}
