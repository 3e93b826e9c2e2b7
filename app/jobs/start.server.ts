import db from "../db.server";
import { shopifyDiscountIssuer } from "../platforms/shopify/discount-issuer.server";
import { shopifyOutboxHandlers } from "../platforms/shopify/outbox-handlers.server";
import { unauthenticated } from "../shopify.server";
import { automationJobs } from "./automation-jobs.server";
import { messageOutboxHandlers } from "./message-handlers.server";
import { Scheduler } from "./scheduler.server";
import { schedulerEnabled } from "./scheduler-switch";

export { schedulerEnabled };

async function shopifyGraphql(shopId: string) {
  const shop = await db.shop.findUnique({ where: { id: shopId }, select: { domain: true, platform: true } });
  if (!shop || shop.platform !== "SHOPIFY") return null;
  const { admin } = await unauthenticated.admin(shop.domain);
  return admin.graphql;
}

let running: Scheduler | null = null;

/** Starts the app process's scheduler (called by server.mjs); returns a stop function. */
export function startAutomations(): (() => Promise<void>) | null {
  if (!schedulerEnabled() || running) return null;
  const scheduler = new Scheduler({
    db,
    jobs: automationJobs({
      handlersAt: (now) => ({
        ...shopifyOutboxHandlers,
        ...messageOutboxHandlers({ db, now: () => now, graphqlFor: shopifyGraphql }),
      }),
      issuerFor: async (shop) => {
        if (shop.platform !== "SHOPIFY") return null;
        const graphql = await shopifyGraphql(shop.id);
        return graphql ? shopifyDiscountIssuer(graphql) : null;
      },
    }),
    log: (line) => console.error(`[scheduler] ${line}`),
  });
  scheduler.start(Number(process.env.TIERWISE_SCHEDULER_INTERVAL_MS ?? 30_000));
  running = scheduler;
  console.log(`scheduler started (${scheduler.owner})`);
  return async () => {
    await scheduler.stop();
    running = null;
  };
}
