import { abstractFetch, setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { redirectingFetch } from "./fetch-redirect.mjs";

export { redirectingFetch };

/**
 * Sending the real Shopify client to the emulator at the HTTP boundary: the client still builds
 * `https://<shop>.myshopify.com/admin/api/<version>/graphql.json` with its own headers and body;
 * only the origin changes, and the shop travels in `X-Forwarded-Host` (as a reverse proxy would
 * pass it) so one emulator can serve several shops.
 *
 * `redirectShopifyAdminApi` points @shopify/shopify-api's fetch (which @shopify/shopify-app-remix's `admin.graphql` uses) at
 * the emulator. Call it after the runtime adapter is imported (`@shopify/shopify-api/adapters/node`
 * or `.../web-api`) and before creating clients: a client keeps the fetch it was created with.
 * Returns a function that restores the previous fetch.
 */
export function redirectShopifyAdminApi(emulatorUrl: string): () => void {
  const previous = abstractFetch;
  setAbstractFetchFunc(redirectingFetch(emulatorUrl, previous as typeof fetch));
  return () => setAbstractFetchFunc(previous);
}
