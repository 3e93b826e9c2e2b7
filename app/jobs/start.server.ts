import db from "../db.server";
import { shopifyDiscountIssuer } from "../platforms/shopify/discount-issuer.server";
import { shopifyOutboxHandlers } from "../platforms/shopify/outbox-handlers.server";
import { unauthenticated } from "../shopify.server";
import { clientFor } from "../../woo-bridge/src/connection.server";
import { wooCouponIssuer } from "../../woo-bridge/src/coupon-issuer.server";
import { wooOutboxHandlers } from "../../woo-bridge/src/outbox-handlers.server";
import { reconcileAllWooStores } from "../../woo-bridge/src/reconcile.server";
import { endExpiredTierOverrides } from "../loyalty/adjustments.server";
import { automationJobs } from "./automation-jobs.server";
import type { OutboxHandlers } from "./outbox-worker.server";
import { messageOutboxHandlers } from "./message-handlers.server";
import { Scheduler, type JobDefinition } from "./scheduler.server";
import { schedulerEnabled } from "./scheduler-switch";

export { schedulerEnabled };

async function shopifyGraphql(shopId: string) {
  const shop = await db.shop.findUnique({ where: { id: shopId }, select: { domain: true, platform: true } });
  if (!shop || shop.platform !== "SHOPIFY") return null;
  const { admin } = await unauthenticated.admin(shop.domain);
  return admin.graphql;
}

/**
 * One handler per message kind, each shop's message going to its own platform's adapter: a
 * WooCommerce shop's redemption gets a coupon, a Shopify shop's a discount code.
 */
export const platformOutboxHandlers: OutboxHandlers = {
  ...shopifyOutboxHandlers,
  async "redemption.issue"(message, payload) {
    const shop = await db.shop.findUnique({ where: { id: message.shopId }, select: { platform: true } });
    const handler = shop?.platform === "WOOCOMMERCE" ? wooOutboxHandlers["redemption.issue"] : shopifyOutboxHandlers["redemption.issue"];
    await handler!(message, payload);
  },
};

/** Jobs beside the automations: platform upkeep and staff overrides that run out. */
export const upkeepJobs: JobDefinition[] = [
  {
    // WooCommerce never retries a failed delivery: read what changed since the last sync.
    name: "woo-reconcile",
    cron: "*/15 * * * *",
    async run({ db, now }) {
      const results = await reconcileAllWooStores(db, { now });
      return { counts: { stores: results.length, failed: results.filter((r) => r.error).length }, cursor: null };
    },
  },
  {
    name: "tier-overrides",
    cron: "*/10 * * * *",
    async run({ db, now }) {
      return { counts: { ended: await endExpiredTierOverrides(db, now) }, cursor: null };
    },
  },
];

let running: Scheduler | null = null;

/** Starts the app process's scheduler (called by server.mjs); returns a stop function. */
export function startAutomations(options: { beforeBatch?: () => Promise<void> } = {}): (() => Promise<void>) | null {
  if (!schedulerEnabled() || running) return null;
  const scheduler = new Scheduler({
    db,
    beforeBatch: options.beforeBatch,
    jobs: [...upkeepJobs, ...automationJobs({
      handlersAt: (now) => ({
        ...platformOutboxHandlers,
        ...messageOutboxHandlers({ db, now: () => now, graphqlFor: shopifyGraphql }),
      }),
      issuerFor: async (shop) => {
        if (shop.platform === "WOOCOMMERCE") {
          const connection = await db.wooConnection.findUnique({ where: { shopId: shop.id } });
          return connection?.status === "CONNECTED" ? wooCouponIssuer(await clientFor(db, connection.id)) : null;
        }
        if (shop.platform !== "SHOPIFY") return null;
        const graphql = await shopifyGraphql(shop.id);
        return graphql ? shopifyDiscountIssuer(graphql) : null;
      },
    })],
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
