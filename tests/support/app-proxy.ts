import { signedAppProxyQuery } from "../../scripts/storefront/app-proxy";
import { TEST_API_SECRET } from "./app-server";

/**
 * A storefront request as the Shopify app proxy forwards it: Shopify adds shop,
 * logged_in_customer_id, path_prefix and timestamp, and signs the sorted parameters (HMAC-SHA256,
 * hex, "key=value" pairs joined with nothing) with the app's secret.
 */
export function appProxyUrl(
  baseUrl: string,
  path: string,
  params: { shop: string; customerId?: string | null; timestamp?: number; extra?: Record<string, string>; secret?: string },
) {
  const query = signedAppProxyQuery(
    params.extra ?? {},
    { shop: params.shop, loggedInCustomerId: params.customerId ?? null, timestamp: params.timestamp },
    params.secret ?? TEST_API_SECRET,
  );
  return `${baseUrl}${path}?${query}`;
}
