import { authenticate } from "../../shopify.server";

export interface Shopper {
  shopDomain: string;
  /** Shopify's logged_in_customer_id: null when the visitor is not signed in. */
  customerId: string | null;
  admin: Awaited<ReturnType<typeof authenticate.public.appProxy>>["admin"];
}

/** Shopify signs every proxied request with the time it forwarded it; older ones are replays. */
export const PROXY_TIMESTAMP_WINDOW_SECONDS = 90;

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]{0,60}\.myshopify\.com$/;
const CUSTOMER_ID = /^\d{1,20}$/;

const unauthorized = (reason: string) =>
  Response.json({ error: "unauthorized", reason }, { status: 401, headers: { "Cache-Control": "no-store" } });

/**
 * Verifies a storefront request that came through the Shopify app proxy, before anything is read
 * or written: the signature over the sorted query parameters, a timestamp within
 * PROXY_TIMESTAMP_WINDOW_SECONDS of now (either way: replays and forged future stamps), a
 * well-formed shop and customer id, and, when the widget names the customer it was rendered for
 * (`customer`), that this is the customer Shopify says is logged in. Any failure is a 401.
 */
export async function authenticateShopper(request: Request, now = Date.now()): Promise<Shopper | Response> {
  const params = new URL(request.url).searchParams;
  const shopDomain = params.get("shop") ?? "";
  const loggedIn = params.get("logged_in_customer_id") ?? "";
  const timestamp = params.get("timestamp") ?? "";
  if (!params.get("signature")) return unauthorized("missing_signature");
  if (!SHOP_DOMAIN.test(shopDomain)) return unauthorized("bad_shop");
  if (loggedIn !== "" && !CUSTOMER_ID.test(loggedIn)) return unauthorized("bad_customer");
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(now / 1000 - Number(timestamp)) > PROXY_TIMESTAMP_WINDOW_SECONDS) {
    return unauthorized("stale_timestamp");
  }
  // The widget sends the customer id its page was rendered for; a page cached across a sign-in or
  // sign-out, or a forged parameter, must not act for someone else.
  if (params.has("customer") && params.get("customer") !== loggedIn) return unauthorized("customer_mismatch");
  // Repeated Shopify parameters would be joined with "," in the signed string: refuse them.
  for (const key of ["shop", "logged_in_customer_id", "timestamp", "signature", "customer"]) {
    if (params.getAll(key).length > 1) return unauthorized("repeated_parameter");
  }

  let context;
  try {
    context = await authenticate.public.appProxy(request);
  } catch (error) {
    if (error instanceof Response && error.status >= 500) throw error;
    return unauthorized("invalid_signature");
  }
  return { shopDomain, customerId: loggedIn || null, admin: context.admin };
}
