import type { LoaderFunctionArgs } from "@remix-run/node";
import { statusForShopper } from "../platforms/shopify/status.server";
import { authenticateShopper } from "../platforms/shopify/storefront.server";

// GET /apps/tierwise/status on the storefront, through the Shopify app proxy.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const shopper = await authenticateShopper(request);
  if (shopper instanceof Response) return shopper;
  return statusForShopper(request, shopper);
};
