import type { ActionFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { connectApi } from "../../woo-bridge/src/api.server";

// POST /woo/connect {storeUrl, consumerKey, consumerSecret, earnStatus}: connect a store without Shopify.
export const action = ({ request }: ActionFunctionArgs) => connectApi(db, request);
