import { createHmac, randomUUID } from "node:crypto";
import type { Webhook, WooStore } from "./store";

/**
 * Webhook delivery as WooCommerce does it (class-wc-webhook.php): the resource's REST
 * representation as a JSON body, X-WC-Webhook-Signature = base64(HMAC-SHA256(body, secret)), a new
 * delivery id every time, no retries, and a webhook disabled after more than 5 failed deliveries
 * in a row. Creating an active webhook first sends an unsigned form-encoded ping.
 */
export interface DeliveryRecord {
  webhookId: number;
  topic: string;
  resourceId: number;
  deliveryId: number;
  /** "delivered" (2xx), "failed" (other status or no answer), "dropped" (lost on the way by a fault). */
  outcome: "delivered" | "failed" | "dropped";
  status: number | null;
  body: string;
}

export const MAX_FAILURES = 5;

export class WebhookDeliverer {
  readonly log: DeliveryRecord[] = [];
  private nextDeliveryId = 1;
  private pending = new Set<Promise<void>>();
  /** Deliveries lost in the network from now on (counted as failures by the store, like a timeout). */
  dropNext = 0;
  /** Only drop deliveries whose topic matches, when set. */
  dropTopic: string | null = null;

  constructor(private readonly store: WooStore, private readonly sourceUrl: () => string) {}

  sign(body: string, secret: string) {
    return createHmac("sha256", secret).update(body).digest("base64");
  }

  payloadFor(topic: string, resourceId: number): unknown {
    const [resource, event] = topic.split(".");
    if (event === "deleted") return { id: resourceId };
    if (resource === "order") return this.store.orderView(this.store.orders.get(resourceId)!);
    if (resource === "customer") return this.store.customerView(this.store.customers.get(resourceId)!);
    if (resource === "coupon") return this.store.couponView(this.store.coupons.get(resourceId)!);
    throw new Error(`no payload for ${topic}`);
  }

  /** Sends `topic` for the resource to every active webhook on it, in the background. */
  fire(topic: string, resourceId: number) {
    for (const webhook of this.store.webhooks.values()) {
      if (webhook.status !== "active" || webhook.topic !== topic) continue;
      const body = JSON.stringify(this.payloadFor(topic, resourceId));
      const job = this.deliver(webhook, topic, resourceId, body).finally(() => this.pending.delete(job));
      this.pending.add(job);
    }
  }

  private async deliver(webhook: Webhook, topic: string, resourceId: number, body: string) {
    const deliveryId = this.nextDeliveryId++;
    const [resource, event] = topic.split(".");
    const record: DeliveryRecord = { webhookId: webhook.id, topic, resourceId, deliveryId, outcome: "failed", status: null, body };
    this.log.push(record);
    if (this.dropNext > 0 && (!this.dropTopic || this.dropTopic === topic)) {
      this.dropNext--;
      record.outcome = "dropped";
      this.failed(webhook);
      return;
    }
    try {
      const response = await fetch(webhook.delivery_url, {
        method: "POST",
        body,
        headers: {
          "Content-Type": "application/json",
          "User-Agent": "WooCommerce/9.4.0 Hookshot (WordPress/6.7)",
          "X-WC-Webhook-Source": this.sourceUrl(),
          "X-WC-Webhook-Topic": topic,
          "X-WC-Webhook-Resource": resource,
          "X-WC-Webhook-Event": event,
          "X-WC-Webhook-Signature": this.sign(body, webhook.secret),
          "X-WC-Webhook-ID": String(webhook.id),
          "X-WC-Webhook-Delivery-ID": String(deliveryId),
        },
        signal: AbortSignal.timeout(60_000),
      });
      record.status = response.status;
      await response.text();
      if (response.ok) {
        record.outcome = "delivered";
        webhook.failure_count = 0;
      } else this.failed(webhook);
    } catch {
      this.failed(webhook);
    }
  }

  private failed(webhook: Webhook) {
    webhook.failure_count++;
    if (webhook.failure_count > MAX_FAILURES) webhook.status = "disabled";
  }

  /** The ping on creation: unsigned, form-encoded `webhook_id=<id>`; anything but 2xx is an error. */
  async ping(webhook: Webhook): Promise<{ ok: true } | { ok: false; message: string }> {
    try {
      const response = await fetch(webhook.delivery_url, {
        method: "POST",
        body: `webhook_id=${webhook.id}`,
        headers: { "Content-Type": "application/x-www-form-urlencoded", "User-Agent": "WooCommerce/9.4.0 Hookshot (WordPress/6.7)" },
        signal: AbortSignal.timeout(60_000),
      });
      await response.text();
      if (response.ok) return { ok: true };
      return { ok: false, message: `Error: Delivery URL returned response code: ${response.status}` };
    } catch (error) {
      return { ok: false, message: `Error: Delivery URL cannot be reached: ${String(error)}` };
    }
  }

  /** Waits until every delivery sent so far has been answered. */
  async settle() {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  newSecret() {
    return randomUUID();
  }
}
