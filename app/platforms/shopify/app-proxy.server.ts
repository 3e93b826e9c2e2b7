import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Verification of a storefront request that came through the Shopify app proxy, with no I/O: the
 * one implementation used by the Remix routes (authenticateShopper) and by server.mjs's fast path
 * for the widget's status (app/platforms/shopify/status.server.ts). See
 * docs/decisions/013-storefront-status-fast-path.md.
 */

/** Shopify signs every proxied request with the time it forwarded it; older ones are replays. */
export const PROXY_TIMESTAMP_WINDOW_SECONDS = 90;

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]{0,60}\.myshopify\.com$/;
const CUSTOMER_ID = /^\d{1,20}$/;

export type ProxyRefusal =
  | "missing_signature"
  | "bad_shop"
  | "bad_customer"
  | "stale_timestamp"
  | "customer_mismatch"
  | "repeated_parameter"
  | "invalid_signature";

export interface VerifiedShopper {
  shopDomain: string;
  /** Shopify's logged_in_customer_id: null when the visitor is not signed in. */
  customerId: string | null;
}

/** The answer to a refused request, the same bytes from the Remix routes and the fast path. */
export function refusalBody(reason: ProxyRefusal): string {
  return JSON.stringify({ error: "unauthorized", reason });
}

/**
 * Checks a proxied request's query before anything is read or written: a timestamp within
 * PROXY_TIMESTAMP_WINDOW_SECONDS of now (either way: replays and forged future stamps), a
 * well-formed shop and customer id, that the customer the widget names (`customer`) is the one
 * Shopify says is logged in, no repeated Shopify parameter, and the signature.
 */
export function verifyAppProxyRequest(url: URL, secret: string, now = Date.now()): VerifiedShopper | { refused: ProxyRefusal } {
  const params = url.searchParams;
  const shopDomain = params.get("shop") ?? "";
  const loggedIn = params.get("logged_in_customer_id") ?? "";
  const timestamp = params.get("timestamp") ?? "";
  if (!params.get("signature")) return { refused: "missing_signature" };
  if (!SHOP_DOMAIN.test(shopDomain)) return { refused: "bad_shop" };
  if (loggedIn !== "" && !CUSTOMER_ID.test(loggedIn)) return { refused: "bad_customer" };
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(now / 1000 - Number(timestamp)) > PROXY_TIMESTAMP_WINDOW_SECONDS) {
    return { refused: "stale_timestamp" };
  }
  // The widget sends the customer id its page was rendered for; a page cached across a sign-in or
  // sign-out, or a forged parameter, must not act for someone else.
  if (params.has("customer") && params.get("customer") !== loggedIn) return { refused: "customer_mismatch" };
  // Repeated Shopify parameters would be joined with "," in the signed string: refuse them.
  for (const key of ["shop", "logged_in_customer_id", "timestamp", "signature", "customer"]) {
    if (params.getAll(key).length > 1) return { refused: "repeated_parameter" };
  }
  if (!appProxySignatureValid(url, secret)) return { refused: "invalid_signature" };
  return { shopDomain, customerId: loggedIn || null };
}

/**
 * The app proxy signature as @shopify/shopify-app-remix 4.2 checks it (authenticate.public.appProxy
 * over @shopify/shopify-api's validateHmac), step for step, so that both accept and refuse the same
 * requests: an empty `index` parameter is dropped; the parameters (the last value of a repeated
 * one) other than `signature` and `hmac`, sorted with localeCompare, as "key=value" joined with
 * nothing; HMAC-SHA256 in hex with the app's secret; and, when that fails, the same with the Remix
 * `_data` parameter of the route added, then of its index route. An empty secret verifies nothing
 * (the library's WebCrypto key import refuses an empty key too).
 */
export function appProxySignatureValid(url: URL, secret: string): boolean {
  if (!secret) return false;
  let params = new URLSearchParams(url.search);
  if (!params.get("index")) params.delete("index");
  if (signed(params, secret)) return true;
  const cleanPath = url.pathname.replace(/^\//, "").replace(/\/$/, "").replaceAll("/", ".");
  const data = `routes%2F${cleanPath}`;
  params = new URLSearchParams(`?_data=${data}&${params.toString().replace(/^\?/, "")}`);
  if (signed(params, secret)) return true;
  return signed(new URLSearchParams(`?_data=${data}._index&${url.search.replace(/^\?/, "")}`), secret);
}

function signed(params: URLSearchParams, secret: string): boolean {
  const { signature, hmac: _hmac, ...query } = Object.fromEntries(params.entries());
  if (!signature) return false;
  const message = Object.entries(query)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${value}`)
    .join("");
  const expected = Buffer.from(createHmac("sha256", secret).update(message, "utf8").digest("hex"));
  const given = Buffer.from(signature, "utf8");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
