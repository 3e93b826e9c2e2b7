import { authenticate } from "../../shopify.server";

export interface Shopper {
  shopDomain: string;
  /** Shopify's logged_in_customer_id: empty when the visitor is not signed in. */
  customerId: string | null;
  admin: Awaited<ReturnType<typeof authenticate.public.appProxy>>["admin"];
}

const unauthorized = () =>
  Response.json({ error: "invalid app proxy signature" }, { status: 401, headers: { "Cache-Control": "no-store" } });

/**
 * Verifies a storefront request that came through the Shopify app proxy: the signature over the
 * sorted query parameters (with a 90 s timestamp window, against replays) and the shop. A bad,
 * stale or missing signature is a 401 before anything is read or written.
 */
export async function authenticateShopper(request: Request): Promise<Shopper | Response> {
  let context;
  try {
    context = await authenticate.public.appProxy(request);
  } catch (error) {
    if (error instanceof Response && error.status >= 500) throw error;
    return unauthorized();
  }
  const url = new URL(request.url);
  const shopDomain = url.searchParams.get("shop");
  if (!shopDomain) return unauthorized();
  const customerId = url.searchParams.get("logged_in_customer_id") || null;
  return { shopDomain, customerId, admin: context.admin };
}
