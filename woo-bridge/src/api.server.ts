import { timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { Db } from "../../app/db.server";
import { pickLocale, translate, type MessageKey } from "../../app/i18n/messages";
import { connectWooStore, disconnectWooStore, deliveryUrl } from "./connection.server";
import { decryptSecret, EncryptionKeyError } from "../../app/secrets.server";

/**
 * The connection API for a store without Shopify: POST /woo/connect and POST /woo/disconnect.
 * Holding a store's Read/Write REST keys is what makes someone its administrator, so the keys
 * are the credential: connect checks them against the store, disconnect against what we stored.
 */
const json = (status: number, body: unknown) => Response.json(body, { status, headers: { "Cache-Control": "no-store" } });

export function publicUrlOf(request: Request): string {
  return process.env.TIERWISE_PUBLIC_URL || process.env.SHOPIFY_APP_URL || new URL(request.url).origin;
}

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.length > 16 * 1024) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export async function connectApi(db: Db, request: Request): Promise<Response> {
  const locale = pickLocale(new URL(request.url).searchParams.get("locale") ?? request.headers.get("accept-language"));
  const body = await readJson(request);
  const publicUrl = publicUrlOf(request);
  let result;
  try {
    result = await connectWooStore(db, body ?? {}, { publicUrl });
  } catch (error) {
    if (!(error instanceof EncryptionKeyError)) throw error;
    // The deployment has no key to store secrets with: say so in the log, not to the caller.
    console.error(JSON.stringify({ msg: "woo connect refused", error: error.message }));
    return json(503, { error: "unavailable", message: translate(locale, "woo.storefront.unavailable") });
  }
  if (!result.ok) {
    const status = result.reason === "bad_keys" || result.reason === "keys_read_only" ? 422 : result.reason === "unreachable" ? 502 : 400;
    return json(status, { error: result.reason, message: translate(locale, `woo.connect.${result.reason}` as MessageKey, { detail: result.detail ?? "" }), detail: result.detail });
  }
  return json(201, {
    connectionId: result.connectionId,
    shopDomain: result.shopDomain,
    pluginSecret: result.pluginSecret,
    webhooks: result.webhooks,
    webhookUrl: deliveryUrl(publicUrl, result.connectionId),
    storefrontUrl: `${publicUrl.replace(/\/+$/, "")}/woo/storefront/${result.connectionId}`,
  });
}

const DisconnectBody = z.object({ connectionId: z.string().min(1).max(64), consumerKey: z.string().min(1).max(128), consumerSecret: z.string().min(1).max(128) });

function same(a: string, b: string) {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export async function disconnectApi(db: Db, request: Request): Promise<Response> {
  const locale = pickLocale(new URL(request.url).searchParams.get("locale") ?? request.headers.get("accept-language"));
  const parsed = DisconnectBody.safeParse(await readJson(request));
  if (!parsed.success) return json(400, { error: "invalid_input", message: translate(locale, "woo.connect.invalid_input") });
  const { connectionId, consumerKey, consumerSecret } = parsed.data;
  const connection = await db.wooConnection.findUnique({ where: { id: connectionId } });
  if (!connection || !connection.consumerKey) return json(404, { error: "unknown_connection", message: translate(locale, "woo.connect.unknown_connection") });
  const keyOk = same(decryptSecret(connection.consumerKey, `woo:${connection.id}:consumerKey`), consumerKey);
  const secretOk = same(decryptSecret(connection.consumerSecret, `woo:${connection.id}:consumerSecret`), consumerSecret);
  if (!keyOk || !secretOk) return json(403, { error: "keys_mismatch", message: translate(locale, "woo.connect.keys_mismatch") });
  const result = await disconnectWooStore(db, connectionId);
  return json(200, result);
}
