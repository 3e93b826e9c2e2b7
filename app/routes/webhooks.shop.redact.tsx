import type { ActionFunctionArgs } from "@remix-run/node";
import { handleShopifyWebhook } from "../platforms/shopify/webhooks.server";

export const action = ({ request }: ActionFunctionArgs) => handleShopifyWebhook(request, "SHOP_REDACT");
