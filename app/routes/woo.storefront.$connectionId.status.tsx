import type { LoaderFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { authenticateWooShopper, wooStatus } from "../../woo-bridge/src/storefront.server";

// GET /woo/storefront/:connectionId/status, called by the WordPress plugin with a signed customer id.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const shopper = await authenticateWooShopper(db, request, params.connectionId ?? "");
  if (shopper instanceof Response) return shopper;
  return wooStatus(db, request, shopper);
};
