import { createHmac } from "node:crypto";
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
  const query: Record<string, string> = {
    shop: params.shop,
    logged_in_customer_id: params.customerId ?? "",
    path_prefix: "/apps/tierwise",
    timestamp: String(params.timestamp ?? Math.floor(Date.now() / 1000)),
    ...params.extra,
  };
  const message = Object.keys(query)
    .sort((a, b) => a.localeCompare(b))
    .map((key) => `${key}=${query[key]}`)
    .join("");
  const signature = createHmac("sha256", params.secret ?? TEST_API_SECRET).update(message).digest("hex");
  return `${baseUrl}${path}?${new URLSearchParams({ ...query, signature })}`;
}
