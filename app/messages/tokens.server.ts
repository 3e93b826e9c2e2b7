import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Signed ids for the links in emails (unsubscribe, open pixel, click redirect): `<id>.<signature>`
 * with an HMAC of the purpose and the id, so a link cannot be forged or reused for another member
 * or message. The key is TIERWISE_SECRET, else the app's API secret.
 */
function secret(): string {
  const key = process.env.TIERWISE_SECRET ?? process.env.SHOPIFY_API_SECRET;
  if (!key) throw new Error("TIERWISE_SECRET or SHOPIFY_API_SECRET must be set to sign email links");
  return key;
}

function signature(purpose: string, value: string): string {
  return createHmac("sha256", secret()).update(`${purpose}:${value}`).digest("base64url").slice(0, 32);
}

export function signToken(purpose: string, id: string, extra = ""): string {
  return `${id}.${signature(purpose, `${id}|${extra}`)}`;
}

/** The id inside a valid token, or null. */
export function verifyToken(purpose: string, token: string, extra = ""): string | null {
  const dot = token.lastIndexOf(".");
  if (dot <= 0 || token.length > 200) return null;
  const id = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1));
  const expected = Buffer.from(signature(purpose, `${id}|${extra}`));
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : null;
}

export function appUrl(): string {
  return (process.env.SHOPIFY_APP_URL ?? "http://localhost:3000").replace(/\/+$/, "");
}

export const unsubscribeUrl = (base: string, memberId: string) => `${base}/m/u/${signToken("unsubscribe", memberId)}`;
export const pixelUrl = (base: string, messageId: string) => `${base}/m/o/${signToken("open", messageId)}`;
export const clickUrl = (base: string, messageId: string, target: string) =>
  `${base}/m/c/${signToken("click", messageId, target)}?to=${encodeURIComponent(target)}`;
