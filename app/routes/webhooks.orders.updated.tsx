import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveShopifyWebhookRequest } from "../platforms/shopify/ingest.server";

// Applied through the webhook inbox (app/inbox); server.mjs answers this path without Remix too.
export const action = ({ request }: ActionFunctionArgs) => receiveShopifyWebhookRequest(request, "orders/updated");
