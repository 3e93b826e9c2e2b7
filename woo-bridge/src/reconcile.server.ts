import type { Db } from "../../app/db.server";
import { recoverPendingRedemptions } from "../../app/loyalty/redemptions.server";
import type { ClientOptions } from "./client.server";
import { clientFor, registerWebhook } from "./connection.server";
import { wooCouponIssuer } from "./coupon-issuer.server";
import type { EarnStatus } from "./payloads";
import { applyWooResource } from "./webhooks.server";

/**
 * WooCommerce never retries a failed delivery and disables a webhook after more than 5 failures
 * in a row, so nothing may depend on every delivery arriving. This reads the orders and customers
 * modified since the last sync (with an overlap, since clocks differ) and feeds them to the same
 * idempotent handler as the webhooks: what was delivered is a duplicate, what was lost is applied.
 * It also re-enables disabled webhooks, recreates deleted ones, and finishes or compensates
 * redemptions whose coupon creation was interrupted. Safe to run at any time, any number of times.
 */
export interface ReconcileOptions {
  now?: Date;
  /** How far before the last sync to read again. */
  overlapMs?: number;
  client?: ClientOptions;
  /** This app's public origin, for recreated webhooks (default: where the existing ones point). */
  publicUrl?: string;
}

export interface ReconcileReport {
  status: "done" | "skipped";
  orders: { read: number; applied: number; duplicates: number };
  customers: { read: number; applied: number; duplicates: number };
  webhooks: { reenabled: number; recreated: number };
  redemptions: Record<string, number>;
}

const emptyReport = (status: ReconcileReport["status"]): ReconcileReport => ({
  status,
  orders: { read: 0, applied: 0, duplicates: 0 },
  customers: { read: 0, applied: 0, duplicates: 0 },
  webhooks: { reenabled: 0, recreated: 0 },
  redemptions: {},
});

const wcGmt = (date: Date) => date.toISOString().slice(0, 19);

export async function reconcileWooStore(db: Db, shopId: string, options: ReconcileOptions = {}): Promise<ReconcileReport> {
  const startedAt = options.now ?? new Date();
  const connection = await db.wooConnection.findUnique({ where: { shopId }, include: { webhooks: true } });
  if (!connection || connection.status !== "CONNECTED") return emptyReport("skipped");
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId } });
  if (shop.uninstalledAt) return emptyReport("skipped");
  const client = await clientFor(db, connection.id, options.client);
  const report = emptyReport("done");
  const target = { shopDomain: shop.domain, earnStatus: connection.earnStatus as EarnStatus };
  const since = connection.lastSyncedAt ? new Date(connection.lastSyncedAt.getTime() - (options.overlapMs ?? 10 * 60_000)) : null;

  try {
    // Webhooks first, so changes made while we read are delivered again.
    const onStore = await client.getAll<{ id: number; status: string; topic: string; delivery_url: string }>("webhooks", { status: "all" });
    for (const webhook of connection.webhooks) {
      const found = onStore.find((w) => w.id === webhook.wooWebhookId);
      if (!found) {
        const publicUrl =
          options.publicUrl ??
          onStore.find((w) => w.delivery_url.endsWith(`/woo/webhooks/${connection.id}`))?.delivery_url.replace(/\/woo\/webhooks\/[^/]+$/, "") ??
          process.env.TIERWISE_PUBLIC_URL ??
          process.env.SHOPIFY_APP_URL;
        if (!publicUrl) continue;
        await registerWebhook(db, client, connection.id, webhook.topic, publicUrl);
        report.webhooks.recreated++;
      } else if (found.status === "disabled") {
        // Disabled is WooCommerce's verdict after failed deliveries; "paused" is the merchant's choice.
        await client.put(`webhooks/${found.id}`, { status: "active" });
        report.webhooks.reenabled++;
      }
    }

    const orders = await client.getAll<unknown>("orders", {
      status: "any",
      // By id: stable pages while the store keeps changing (the order of applying does not matter).
      orderby: "id",
      order: "asc",
      dates_are_gmt: true,
      ...(since ? { modified_after: wcGmt(since) } : {}),
    });
    for (const order of orders) {
      report.orders.read++;
      const outcome = await applyWooResource(db, target, "order.updated", order, { now: startedAt });
      if (outcome.status === "duplicate") report.orders.duplicates++;
      else if (outcome.status === "processed") report.orders.applied++;
    }

    // The customers endpoint has no modified_after filter: read the list, apply what changed.
    const customers = await client.getAll<{ date_modified_gmt?: string | null; date_created_gmt?: string | null }>("customers", { orderby: "id", order: "asc", role: "all" });
    for (const customer of customers) {
      const modified = customer.date_modified_gmt ?? customer.date_created_gmt;
      if (since && modified && new Date(`${modified}Z`) <= since) continue;
      report.customers.read++;
      const outcome = await applyWooResource(db, target, "customer.updated", customer, { now: startedAt });
      if (outcome.status === "duplicate") report.customers.duplicates++;
      else if (outcome.status === "processed") report.customers.applied++;
    }

    report.redemptions = await recoverPendingRedemptions(db, shop.domain, wooCouponIssuer(client), { now: startedAt });
    await db.wooConnection.update({ where: { id: connection.id }, data: { lastSyncedAt: startedAt, lastSyncError: null } });
    return report;
  } catch (error) {
    // The next run starts from the same point: nothing is skipped.
    await db.wooConnection.update({ where: { id: connection.id }, data: { lastSyncError: String(error instanceof Error ? error.message : error).slice(0, 1000) } });
    throw error;
  }
}

/** Every connected store, one after the other; one store's failure does not stop the others. */
export async function reconcileAllWooStores(db: Db, options: ReconcileOptions = {}) {
  const connections = await db.wooConnection.findMany({ where: { status: "CONNECTED" }, select: { shopId: true } });
  const results: { shopId: string; report?: ReconcileReport; error?: string }[] = [];
  for (const { shopId } of connections) {
    try {
      results.push({ shopId, report: await reconcileWooStore(db, shopId, options) });
    } catch (error) {
      results.push({ shopId, error: String(error instanceof Error ? error.message : error) });
    }
  }
  return results;
}
