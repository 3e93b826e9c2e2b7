import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/**
 * The WordPress plugin's server-to-server requests (the WooCommerce counterpart of Shopify's app
 * proxy): the plugin signs who is logged in, when, and what is asked, with the connection's plugin
 * secret. The PHP side is tierwise_sign_request() in wordpress-plugin/tierwise/includes/signing.php
 * and must build the same string:
 *   "v1\n<unix seconds>\n<customer id or empty>\n<METHOD>\n<path>\n<sha256 hex of the body>"
 * signed as lowercase hex HMAC-SHA256, sent in X-Tierwise-Timestamp, X-Tierwise-Customer and
 * X-Tierwise-Signature. Timestamps more than 5 minutes away are refused (replays).
 */
export const SIGNATURE_WINDOW_SECONDS = 300;

export function signingString(timestamp: string, customerId: string, method: string, path: string, body: string) {
  const bodyHash = createHash("sha256").update(body, "utf8").digest("hex");
  return ["v1", timestamp, customerId, method.toUpperCase(), path, bodyHash].join("\n");
}

export function signPluginRequest(secret: string, timestamp: string, customerId: string, method: string, path: string, body = "") {
  return createHmac("sha256", secret).update(signingString(timestamp, customerId, method, path, body)).digest("hex");
}

export function verifyPluginSignature(
  secret: string,
  input: { timestamp: string | null; customerId: string | null; signature: string | null; method: string; path: string; body: string },
  nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
  const { timestamp, signature } = input;
  const customerId = input.customerId ?? "";
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || !signature || !/^[0-9a-f]{64}$/.test(signature)) return false;
  if (!/^\d{0,20}$/.test(customerId)) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > SIGNATURE_WINDOW_SECONDS) return false;
  const expected = Buffer.from(signPluginRequest(secret, timestamp, customerId, input.method, input.path, input.body), "hex");
  return timingSafeEqual(expected, Buffer.from(signature, "hex"));
}
