import type { ActionFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { handleWooWebhook } from "../../woo-bridge/src/webhooks.server";

// POST /woo/webhooks/:connectionId: WooCommerce webhook deliveries (and its ping on creation).
export const action = ({ request, params }: ActionFunctionArgs) => handleWooWebhook(db, request, params.connectionId ?? "");
