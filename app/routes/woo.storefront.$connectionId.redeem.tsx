import type { ActionFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { authenticateWooShopper, wooRedeem } from "../../woo-bridge/src/storefront.server";

// POST /woo/storefront/:connectionId/redeem, called by the WordPress plugin with a signed customer id.
export const action = async ({ request, params }: ActionFunctionArgs) => {
  const shopper = await authenticateWooShopper(db, request, params.connectionId ?? "");
  if (shopper instanceof Response) return shopper;
  return wooRedeem(db, request, shopper);
};
