import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { ApiKey } from "./store";

/**
 * WooCommerce's REST authentication (WC_REST_Authentication): over HTTPS, HTTP Basic auth with the
 * consumer key and secret (or both as query parameters); over plain HTTP, one-legged OAuth 1.0a
 * with the oauth_* parameters in the query string, HMAC-SHA1 or HMAC-SHA256, signed with
 * "<consumer secret>&", a 15-minute timestamp window and single-use nonces.
 */
export type AuthResult = { ok: true; key: ApiKey } | { ok: false; status: number; code: string; message: string };

const fail = (code: string, message: string, status = 401): AuthResult => ({ ok: false, status, code, message });

/** PHP's rawurlencode (RFC 3986). */
export function rawurlencode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeEqual(a: string, b: string) {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export class Authenticator {
  private readonly nonces = new Map<string, number>();
  constructor(private readonly keys: () => ApiKey[]) {}

  authenticate(request: IncomingMessage, url: URL, secure: boolean, nowMs = Date.now()): AuthResult | null {
    if (secure) {
      const header = request.headers.authorization;
      let key: string | null = null;
      let secret: string | null = null;
      if (header?.startsWith("Basic ")) {
        const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
        const colon = decoded.indexOf(":");
        key = decoded.slice(0, colon);
        secret = decoded.slice(colon + 1);
      } else if (url.searchParams.has("consumer_key")) {
        key = url.searchParams.get("consumer_key");
        secret = url.searchParams.get("consumer_secret");
      }
      if (key === null) return null;
      const found = this.keys().find((k) => k.consumerKey === key);
      if (!found) return fail("woocommerce_rest_authentication_error", "Consumer key is invalid.");
      if (!secret || !safeEqual(found.consumerSecret, secret)) return fail("woocommerce_rest_authentication_error", "Consumer secret is invalid.");
      return { ok: true, key: found };
    }
    // Plain HTTP: WooCommerce ignores Basic auth here, only OAuth 1.0a counts.
    const params = Object.fromEntries(url.searchParams.entries());
    if (!params.oauth_consumer_key) return null;
    for (const required of ["oauth_consumer_key", "oauth_timestamp", "oauth_nonce", "oauth_signature", "oauth_signature_method"]) {
      if (!params[required]) return fail("woocommerce_rest_authentication_error", `Missing OAuth parameter ${required}`);
    }
    const found = this.keys().find((k) => k.consumerKey === params.oauth_consumer_key);
    if (!found) return fail("woocommerce_rest_authentication_error", "Consumer key is invalid.");
    const method = params.oauth_signature_method;
    if (method !== "HMAC-SHA1" && method !== "HMAC-SHA256") {
      return fail("woocommerce_rest_authentication_error", "Invalid signature - signature method is invalid.");
    }
    const baseUri = rawurlencode(`http://${request.headers.host}${url.pathname}`);
    const signed = Object.entries(params)
      .filter(([name]) => name !== "oauth_signature")
      .map(([name, value]) => [rawurlencode(name), rawurlencode(value)] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      // join_with_equals_sign: each "key=value" pair encoded once more, joined with an encoded "&".
      .map(([name, value]) => rawurlencode(`${name}=${value}`))
      .join("%26");
    const stringToSign = `${request.method?.toUpperCase()}&${baseUri}&${signed}`;
    const algorithm = method === "HMAC-SHA1" ? "sha1" : "sha256";
    const expected = createHmac(algorithm, `${found.consumerSecret}&`).update(stringToSign).digest("base64");
    if (!safeEqual(expected, params.oauth_signature)) {
      return fail("woocommerce_rest_authentication_error", "Invalid signature - provided signature does not match.");
    }
    const timestamp = Number(params.oauth_timestamp);
    if (!Number.isFinite(timestamp) || Math.abs(nowMs / 1000 - timestamp) > 15 * 60) {
      return fail("woocommerce_rest_authentication_error", "Invalid timestamp.");
    }
    const nonceKey = `${found.consumerKey}:${params.oauth_nonce}`;
    for (const [nonce, at] of this.nonces) if (at < nowMs / 1000 - 15 * 60) this.nonces.delete(nonce);
    if (this.nonces.has(nonceKey)) return fail("woocommerce_rest_authentication_error", "Invalid nonce - nonce has already been used.");
    this.nonces.set(nonceKey, timestamp);
    return { ok: true, key: found };
  }
}
