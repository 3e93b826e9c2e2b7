import type { AppLoadContext } from "@remix-run/node";
import type { Session } from "@shopify/shopify-api";
import db from "../db.server";
import type { AdminGraphql } from "../platforms/shopify/discount-issuer.server";
import { authenticate, sessionStorage, unauthenticated } from "../shopify.server";
import { DEFAULT_DEMO_SHOP, demoAdminAllowed } from "./demo-mode.server";

export interface AdminContext {
  /** The shop's myshopify domain. */
  shop: string;
  /** Who is acting, recorded on manual adjustments: "staff:<Shopify user id>" or "demo". */
  staff: string;
  session: Session;
  demo: boolean;
  /** The shop's Admin GraphQL API (through the offline session in the demo). */
  graphql: () => Promise<AdminGraphql>;
}

function remoteAddress(context: AppLoadContext | undefined): string | undefined {
  const value = (context as { remoteAddress?: unknown } | undefined)?.remoteAddress;
  return typeof value === "string" ? value : undefined;
}

/**
 * Every admin loader and action starts here. Embedded requests are authenticated by
 * @shopify/shopify-app-remix (session tokens); the local demo admin (see demo-mode.server.ts) uses
 * the demo shop's offline session instead, and only under the conditions checked there.
 */
export async function requireAdmin(request: Request, context?: AppLoadContext): Promise<AdminContext> {
  if (demoAdminAllowed(process.env, remoteAddress(context))) {
    const shop = process.env.TIERWISE_DEMO_SHOP || DEFAULT_DEMO_SHOP;
    const session = await sessionStorage.loadSession(`offline_${shop}`);
    if (!session) throw new Response(`the demo shop ${shop} is not installed: run npm run demo first`, { status: 503 });
    return { shop, staff: "demo", session, demo: true, graphql: async () => (await unauthenticated.admin(shop)).admin.graphql as AdminGraphql };
  }
  const { session, sessionToken, admin } = await authenticate.admin(request);
  const user = (sessionToken as { sub?: string } | undefined)?.sub;
  return { shop: session.shop, staff: user ? `staff:${user}` : "staff", session, demo: false, graphql: async () => admin.graphql as AdminGraphql };
}

/** The shop row of an authenticated admin (404 when the program was never installed). */
export async function requireShop(admin: AdminContext) {
  const shop = await db.shop.findUnique({ where: { domain: admin.shop } });
  if (!shop) throw new Response("this shop has not installed Tierwise", { status: 404 });
  return shop;
}
