import { pickLocale, translate } from "../../i18n/messages";
import { readStorefrontStatus } from "../../storefront/status-reader.server";
import { refusalBody, verifyAppProxyRequest } from "./app-proxy.server";

/** Anonymous answers are the same for every visitor of a shop, so browsers may keep them briefly. */
export const ANONYMOUS_MAX_AGE_SECONDS = 300;

export interface ProxyStatusAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

// What Response.json gave the Remix route (undici adds the charset).
const JSON_TYPE = "application/json; charset=utf-8";

/**
 * GET /apps/tierwise/status, the widget's one request per page view, from the proxied URL (path
 * and query as Shopify forwards them) and the Accept-Language header: the one implementation,
 * answered by server.mjs without Remix and by the Remix route (app/routes/proxy.status.tsx).
 * The request is verified first (app-proxy.server.ts: any failure is a 401 with nothing read);
 * then the signed-in shopper's own status or, for a visitor who is not signed in, the program
 * summary. The widget puts `customer=<id or empty>` in the storefront URL, so a cached anonymous
 * answer is never reused for a signed-in page. Synchronous: the reads are better-sqlite3's.
 */
export function answerProxyStatus(target: string, acceptLanguage: string | null | undefined, now = new Date()): ProxyStatusAnswer {
  const url = new URL(target, "http://app-proxy.invalid");
  const shopper = verifyAppProxyRequest(url, process.env.SHOPIFY_API_SECRET ?? "", now.getTime());
  if ("refused" in shopper) {
    return { status: 401, headers: { "Content-Type": JSON_TYPE, "Cache-Control": "no-store" }, body: refusalBody(shopper.refused) };
  }
  const answer = readStorefrontStatus({ shopDomain: shopper.shopDomain, platformCustomerId: shopper.customerId }, now);
  if (!answer) {
    const locale = pickLocale(url.searchParams.get("locale") ?? acceptLanguage);
    return {
      status: 404,
      headers: { "Content-Type": JSON_TYPE, "Cache-Control": "no-store" },
      body: JSON.stringify({ error: "not_installed", message: translate(locale, "status.unavailable") }),
    };
  }
  const cache = shopper.customerId ? "private, no-store" : `public, max-age=${ANONYMOUS_MAX_AGE_SECONDS}`;
  return { status: 200, headers: { "Content-Type": JSON_TYPE, "Cache-Control": cache, Vary: "Accept-Language" }, body: answer.json };
}

/** The same answer as a Fetch API response, for the Remix route. */
export function proxyStatusResponse(request: Request): Response {
  const url = new URL(request.url);
  const answer = answerProxyStatus(url.pathname + url.search, request.headers.get("accept-language"));
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}
