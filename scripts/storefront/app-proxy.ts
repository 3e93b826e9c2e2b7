import { createHmac } from "node:crypto";

/** The parameters Shopify adds to every request it forwards through the app proxy. */
export interface AppProxyContext {
  shop: string;
  /** Blank when the visitor is not signed in. */
  loggedInCustomerId: string | null;
  pathPrefix?: string;
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
}

/**
 * The query Shopify sends to the app for a storefront request to /apps/<subpath>/...: the
 * visitor's own parameters plus shop, logged_in_customer_id, path_prefix and timestamp (Shopify's
 * values win over any the visitor sent), signed with the app's secret: HMAC-SHA256, hex, of the
 * parameters sorted by name as "key=value" pairs joined with nothing (repeated values joined by ",").
 */
export function signedAppProxyQuery(visitorQuery: URLSearchParams | Record<string, string>, context: AppProxyContext, secret: string): URLSearchParams {
  const values = new Map<string, string[]>();
  const visitor = visitorQuery instanceof URLSearchParams ? visitorQuery : new URLSearchParams(visitorQuery);
  for (const [key, value] of visitor) {
    if (key === "signature") continue;
    values.set(key, [...(values.get(key) ?? []), value]);
  }
  values.set("shop", [context.shop]);
  values.set("logged_in_customer_id", [context.loggedInCustomerId ?? ""]);
  values.set("path_prefix", [context.pathPrefix ?? "/apps/tierwise"]);
  values.set("timestamp", [String(context.timestamp ?? Math.floor(Date.now() / 1000))]);
  const keys = [...values.keys()].sort((a, b) => a.localeCompare(b));
  const message = keys.map((key) => `${key}=${values.get(key)!.join(",")}`).join("");
  const signature = createHmac("sha256", secret).update(message).digest("hex");
  const query = new URLSearchParams();
  for (const key of keys) for (const value of values.get(key)!) query.append(key, value);
  query.set("signature", signature);
  return query;
}
