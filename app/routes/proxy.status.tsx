import type { LoaderFunctionArgs } from "@remix-run/node";
import { proxyStatusResponse } from "../platforms/shopify/status.server";

// GET /apps/tierwise/status on the storefront, through the Shopify app proxy. server.mjs answers it
// before Remix with the same function (answerProxyStatus); this route serves the dev server.
export const loader = ({ request }: LoaderFunctionArgs) => proxyStatusResponse(request);
