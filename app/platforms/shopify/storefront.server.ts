import { authenticate } from "../../shopify.server";
import { refusalBody, verifyAppProxyRequest, type VerifiedShopper } from "./app-proxy.server";

export interface Shopper extends VerifiedShopper {
  admin: Awaited<ReturnType<typeof authenticate.public.appProxy>>["admin"];
}

/** A refused storefront request: 401, never cached. */
export function unauthorized(body: string): Response {
  return new Response(body, { status: 401, headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" } });
}

/**
 * Verifies a storefront request that came through the Shopify app proxy, before anything is read
 * or written (verifyAppProxyRequest: signature, timestamp window, shop and customer ids, the
 * widget's `customer` against Shopify's logged_in_customer_id); any failure is a 401. Then the
 * shop's Admin API client for the actions that call Shopify (a redemption creates its code), from
 * the offline session through the Shopify library, which checks the signature once more.
 */
export async function authenticateShopper(request: Request, now = Date.now()): Promise<Shopper | Response> {
  const verified = verifyAppProxyRequest(new URL(request.url), process.env.SHOPIFY_API_SECRET ?? "", now);
  if ("refused" in verified) return unauthorized(refusalBody(verified.refused));

  let context;
  try {
    context = await authenticate.public.appProxy(request);
  } catch (error) {
    if (error instanceof Response && error.status >= 500) throw error;
    return unauthorized(refusalBody("invalid_signature"));
  }
  return { ...verified, admin: context.admin };
}
