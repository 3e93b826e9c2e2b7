/**
 * The store URL a merchant typed, checked before any request is made: http(s) only, no
 * credentials, query or fragment. WooCommerce sends keys in the clear without TLS, so a store
 * must use HTTPS; a loopback store over plain HTTP (a local test store) is allowed where the
 * deployment allows it (never by default in production, where it would let anyone make the
 * server call its own loopback interface).
 */
export type StoreUrlResult = { ok: true; url: string; domain: string } | { ok: false; reason: "invalid_url" | "https_required" };

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;
// Private, link-local (cloud metadata) and unspecified addresses written as IP literals. Names that
// resolve to such addresses are not caught here (that needs a resolving check at request time).
const PRIVATE_IP = /^(10(?:\.\d{1,3}){3}|172\.(1[6-9]|2\d|3[01])(?:\.\d{1,3}){2}|192\.168(?:\.\d{1,3}){2}|169\.254(?:\.\d{1,3}){2}|0(?:\.\d{1,3}){3}|\[(?:f[cd][0-9a-f]{0,2}|fe80|::)[0-9a-f:]*\])$/i;

export function allowLoopbackStores(env: Record<string, string | undefined> = process.env): boolean {
  return env.NODE_ENV !== "production" || env.TIERWISE_WOO_ALLOW_LOOPBACK === "1";
}

export function parseStoreUrl(raw: string, allowLoopback = allowLoopbackStores()): StoreUrlResult {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, reason: "invalid_url" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, reason: "invalid_url" };
  if (url.username || url.password || url.search || url.hash || !url.hostname) return { ok: false, reason: "invalid_url" };
  const loopback = LOOPBACK.test(url.hostname);
  if (PRIVATE_IP.test(url.hostname) && !allowLoopback) return { ok: false, reason: "invalid_url" };
  if (loopback && !allowLoopback) return { ok: false, reason: "invalid_url" };
  if (url.protocol === "http:" && !loopback) return { ok: false, reason: "https_required" };
  const path = url.pathname.replace(/\/+$/, "");
  return { ok: true, url: `${url.protocol}//${url.host}${path}`, domain: `${url.host}${path}`.toLowerCase() };
}
