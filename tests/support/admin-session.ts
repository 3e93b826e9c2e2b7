import { createHmac, randomUUID } from "node:crypto";
import { TEST_API_KEY, TEST_API_SECRET } from "./app-server";

/**
 * A Shopify admin session token as App Bridge sends it: a JWT signed HS256 with the app's secret,
 * `aud` the API key, `iss`/`dest` the shop, `sub` the staff member's user id.
 */
export function sessionToken(shop: string, options: { secret?: string; aud?: string; sub?: string; expiresIn?: number } = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: "HS256", typ: "JWT" };
  const payload = {
    iss: `https://${shop}/admin`,
    dest: `https://${shop}`,
    aud: options.aud ?? TEST_API_KEY,
    sub: options.sub ?? "84512",
    exp: now + (options.expiresIn ?? 60),
    nbf: now - 5,
    iat: now - 5,
    jti: randomUUID(),
    sid: randomUUID(),
  };
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const body = `${encode(header)}.${encode(payload)}`;
  const signature = createHmac("sha256", options.secret ?? TEST_API_SECRET).update(body).digest("base64url");
  return `${body}.${signature}`;
}

/** The query Shopify puts on an embedded app's document URL. */
export function embeddedQuery(shop: string, extra: Record<string, string> = {}): string {
  const host = Buffer.from(`admin.shopify.com/store/${shop.replace(".myshopify.com", "")}`).toString("base64url");
  return new URLSearchParams({ embedded: "1", shop, host, id_token: sessionToken(shop), ...extra }).toString();
}

/** Shopify's admin runs in a browser; the library answers 410 to anything that looks like a bot. */
export const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

export function browserFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("User-Agent", BROWSER_UA);
  return fetch(url, { ...init, headers });
}
