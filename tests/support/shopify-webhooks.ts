import { createHmac, randomUUID } from "node:crypto";
import { TEST_API_SECRET } from "./app-server";

export interface WebhookDeliveryOptions {
  topic: string;
  shop: string;
  payload: unknown;
  /** Shopify's event id: the same on every retry of one event. */
  eventId?: string;
  webhookId?: string;
  triggeredAt?: string;
  secret?: string;
  apiVersion?: string;
  /** Send these exact bytes instead of the JSON of `payload`. */
  rawBody?: string;
  hmac?: string;
}

/** Sends a webhook the way Shopify does: raw JSON body, HMAC-SHA256 (base64) of it, its headers. */
export async function sendShopifyWebhook(baseUrl: string, options: WebhookDeliveryOptions): Promise<Response> {
  const body = options.rawBody ?? JSON.stringify(options.payload);
  const hmac = options.hmac ?? createHmac("sha256", options.secret ?? TEST_API_SECRET).update(body, "utf8").digest("base64");
  const route = options.topic.replace("/", ".");
  return fetch(`${baseUrl}/webhooks/${route.replace(".", "/")}`, {
    method: "POST",
    body,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": options.topic,
      "X-Shopify-Hmac-Sha256": hmac,
      "X-Shopify-Shop-Domain": options.shop,
      "X-Shopify-API-Version": options.apiVersion ?? "2026-07",
      "X-Shopify-Webhook-Id": options.webhookId ?? randomUUID(),
      "X-Shopify-Event-Id": options.eventId ?? randomUUID(),
      "X-Shopify-Triggered-At": options.triggeredAt ?? new Date().toISOString(),
    },
  });
}
