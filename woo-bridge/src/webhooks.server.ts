import { createHmac, timingSafeEqual } from "node:crypto";
import type { Db } from "../../app/db.server";
import { processEvent, type EventOutcome } from "../../app/loyalty/events.server";
import { MoneyFormatError } from "../../app/loyalty/money";
import type { LoyaltyEvent } from "../../app/loyalty/types";
import { webhookSecretOf } from "./connection.server";
import {
  customerDedupeKey,
  customerFacts,
  orderDedupeKey,
  orderFacts,
  parseWoo,
  wooCustomer,
  wooDeleted,
  wooOrder,
  WooPayloadError,
  type EarnStatus,
} from "./payloads";

const MAX_BODY = 5 * 1024 * 1024;

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", "Cache-Control": "no-store" } });

export function wooSignature(body: string | Buffer, secret: string): string {
  return createHmac("sha256", secret).update(body).digest("base64");
}

function sameSignature(expected: string, given: string) {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface WooResource {
  shopDomain: string;
  earnStatus: EarnStatus;
}

/**
 * A resource as WooCommerce represents it (webhook body or REST read) fed to the core: the same
 * path for webhooks and reconciliation, so both dedupe against each other.
 */
export async function applyWooResource(
  db: Db,
  shop: WooResource,
  topic: string,
  payload: unknown,
  meta: { webhookId?: string | null; now?: Date } = {},
): Promise<EventOutcome | { status: "ignored" }> {
  const [resource, action] = topic.split(".");
  let event: LoyaltyEvent;
  let dedupeKey: string;
  if (action === "deleted") {
    // A deleted order or customer carries only its id. Points stay as they are: a trashed order
    // can be restored, and a customer's data is erased through the privacy tools, not by this.
    parseWoo(wooDeleted, payload);
    return { status: "ignored" };
  }
  if (resource === "order") {
    const order = parseWoo(wooOrder, payload);
    event = { type: "order", order: orderFacts(order, shop.earnStatus) };
    dedupeKey = orderDedupeKey(order);
  } else if (resource === "customer") {
    const customer = parseWoo(wooCustomer, payload);
    event = { type: "customer", customer: customerFacts(customer) };
    dedupeKey = customerDedupeKey(customer);
  } else return { status: "ignored" };
  const now = meta.now ?? new Date();
  return processEvent(db, { shopDomain: shop.shopDomain, dedupeKey, topic, webhookId: meta.webhookId ?? null, triggeredAt: now }, event, now);
}

/**
 * POST /woo/webhooks/:connectionId. The signature (base64 HMAC-SHA256 of the raw body with that
 * webhook's own secret) is checked before anything is parsed or written; WooCommerce's unsigned
 * ping on webhook creation (`webhook_id=<id>`) gets its 200 and nothing else.
 */
export async function handleWooWebhook(db: Db, request: Request, connectionId: string): Promise<Response> {
  if (request.method !== "POST") return json(405, { error: "method not allowed" });
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_BODY) return json(413, { error: "body too large" });
  const raw = Buffer.from(await request.arrayBuffer());
  if (raw.length > MAX_BODY) return json(413, { error: "body too large" });

  const connection = await db.wooConnection.findUnique({ where: { id: connectionId }, include: { webhooks: true } });
  if (!connection || connection.status !== "CONNECTED") return json(404, { error: "unknown connection" });

  const signature = request.headers.get("x-wc-webhook-signature");
  if (!signature) {
    if (/^webhook_id=\d+$/.test(raw.toString("utf8").trim())) return json(200, { ok: true, ping: true });
    return json(401, { error: "missing X-WC-Webhook-Signature" });
  }
  const webhookId = Number(request.headers.get("x-wc-webhook-id"));
  const webhook = connection.webhooks.find((w) => w.wooWebhookId === webhookId);
  if (!webhook || !sameSignature(wooSignature(raw, webhookSecretOf(connection.id, webhook)), signature)) {
    return json(401, { error: "invalid signature" });
  }
  const topic = request.headers.get("x-wc-webhook-topic");
  if (topic && topic !== webhook.topic) return json(400, { error: `topic ${topic} on the ${webhook.topic} webhook` });

  let payload: unknown;
  try {
    payload = JSON.parse(raw.toString("utf8"));
  } catch {
    return json(400, { error: "body is not JSON" });
  }
  const shop = await db.shop.findUniqueOrThrow({ where: { id: connection.shopId }, select: { domain: true } });
  try {
    const outcome = await applyWooResource(db, { shopDomain: shop.domain, earnStatus: connection.earnStatus as EarnStatus }, webhook.topic, payload, {
      webhookId: String(webhook.wooWebhookId),
    });
    return json(200, { ok: true, status: outcome.status });
  } catch (error) {
    if (error instanceof WooPayloadError) return json(400, { error: error.message, issues: error.issues });
    if (error instanceof MoneyFormatError) return json(400, { error: `invalid payload: ${error.message}` });
    console.error(JSON.stringify({ msg: "woo webhook failed", connectionId, topic: webhook.topic, error: String(error) }));
    return json(500, { error: "internal error" });
  }
}
