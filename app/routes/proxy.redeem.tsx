import type { ActionFunctionArgs } from "@remix-run/node";
import { redeemForShopper } from "../platforms/shopify/redeem.server";
import { authenticateShopper } from "../platforms/shopify/storefront.server";

// POST /apps/tierwise/redeem on the storefront, through the Shopify app proxy.
export const action = async ({ request }: ActionFunctionArgs) => {
  const shopper = await authenticateShopper(request);
  if (shopper instanceof Response) return shopper;
  return redeemForShopper(request, shopper);
};
