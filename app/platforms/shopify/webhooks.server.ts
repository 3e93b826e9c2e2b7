import db from "../../db.server";
import { compileDataRequest, redactCustomer, redactShop, uninstallShop } from "../../loyalty/compliance.server";
import { processEvent } from "../../loyalty/events.server";
import { MoneyFormatError } from "../../loyalty/money";
import { authenticate } from "../../shopify.server";
import { loyaltyEvent, type ShopifyTopic } from "./events";
import { parseCustomerRedact, parseDataRequest, parseShopRedact, PayloadError } from "./payloads";

export type { ShopifyTopic } from "./events";

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

/**
 * Every Shopify webhook route calls this: verify the HMAC (authenticate.webhook answers 401 and we
 * write nothing), validate the payload (400 on a bad one, nothing written), then do the work in one
 * transaction and answer 200. Slow work goes to the outbox.
 */
export async function handleShopifyWebhook(request: Request, expected: ShopifyTopic): Promise<Response> {
  let context: Awaited<ReturnType<typeof authenticate.webhook>>;
  try {
    context = await authenticate.webhook(request);
  } catch (error) {
    // A signed body that is not JSON: authentic but unusable; Shopify never sends one.
    if (error instanceof SyntaxError) return json(400, { error: "body is not JSON" });
    throw error;
  }
  const { topic, shop, payload, webhookId, eventId, triggeredAt } = context;
  if (topic !== expected) return json(400, { error: `topic ${topic} sent to the ${expected} endpoint` });
  try {
    switch (topic) {
      case "APP_UNINSTALLED":
        await uninstallShop(db, shop);
        return json(200, { ok: true });
      case "SHOP_REDACT":
        parseShopRedact(payload);
        return json(200, { ok: true, ...(await redactShop(db, shop)) });
      case "CUSTOMERS_REDACT": {
        const body = parseCustomerRedact(payload);
        const who = { platformCustomerId: body.customer.id ?? null, email: body.customer.email ?? null };
        return json(200, { ok: true, ...(await redactCustomer(db, shop, who, body.orders_to_redact)) });
      }
      case "CUSTOMERS_DATA_REQUEST": {
        const body = parseDataRequest(payload);
        const who = { platformCustomerId: body.customer.id ?? null, email: body.customer.email ?? null };
        await compileDataRequest(db, shop, body.data_request.id, who, body.orders_requested);
        return json(200, { ok: true });
      }
    }
    const at = triggeredAt ? new Date(triggeredAt) : new Date();
    const event = loyaltyEvent(topic as ShopifyTopic, payload, Number.isNaN(at.getTime()) ? new Date() : at);
    // X-Shopify-Event-Id is the same on every retry of one event; the webhook id is the fallback
    // for deliveries that lack it.
    const dedupeKey = `shopify:${eventId ?? webhookId}`;
    const outcome = await processEvent(db, { shopDomain: shop, dedupeKey, topic, webhookId, triggeredAt: at }, event);
    return json(200, { ok: true, status: outcome.status });
  } catch (error) {
    if (error instanceof PayloadError) return json(400, { error: error.message, issues: error.issues });
    // An amount that is not money, or no real order's size: refusing it beats retrying it forever.
    if (error instanceof MoneyFormatError) return json(400, { error: `invalid payload: ${error.message}` });
    console.error(JSON.stringify({ msg: "webhook failed", shop, topic, webhookId, eventId, error: String(error) }));
    return json(500, { error: "internal error" });
  }
}
