import db from "../../db.server";
import { compileDataRequest, redactCustomer, redactShop, uninstallShop } from "../../loyalty/compliance.server";
import { authenticate } from "../../shopify.server";
import { parseCustomerRedact, parseDataRequest, parseShopRedact, PayloadError } from "./payloads";

/** The topics answered here; the loyalty topics go through the webhook inbox (ingest.server.ts). */
export type ShopLifecycleTopic = "APP_UNINSTALLED" | "CUSTOMERS_DATA_REQUEST" | "CUSTOMERS_REDACT" | "SHOP_REDACT";

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

/**
 * app/uninstalled and the compliance topics: verify the HMAC (authenticate.webhook answers 401 and
 * we write nothing), validate the payload (400 on a bad one, nothing written), do the work and
 * answer 200. They are rare and Shopify wants them done, so they do not go through the inbox.
 */
export async function handleShopifyWebhook(request: Request, expected: ShopLifecycleTopic): Promise<Response> {
  let context: Awaited<ReturnType<typeof authenticate.webhook>>;
  try {
    context = await authenticate.webhook(request);
  } catch (error) {
    // A signed body that is not JSON: authentic but unusable; Shopify never sends one.
    if (error instanceof SyntaxError) return json(400, { error: "body is not JSON" });
    throw error;
  }
  const { topic, shop, payload, webhookId, eventId } = context;
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
    return json(400, { error: `no handler for ${topic}` });
  } catch (error) {
    if (error instanceof PayloadError) return json(400, { error: error.message, issues: error.issues });
    console.error(JSON.stringify({ msg: "webhook failed", shop, topic, webhookId, eventId, error: String(error) }));
    return json(500, { error: "internal error" });
  }
}
