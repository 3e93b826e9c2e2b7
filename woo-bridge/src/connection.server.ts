import { z } from "zod";
import type { Db } from "../../app/db.server";
import { uninstallShop } from "../../app/loyalty/compliance.server";
import { installShop } from "../../app/loyalty/program.server";
import { wooClient, WooApiError, type ClientOptions, type WooClient } from "./client.server";
import { decryptSecret, encryptSecret, newSecret } from "../../app/secrets.server";
import { parseStoreUrl } from "./store-url";

/** The topics Tierwise subscribes to on a store, each its own webhook with its own secret. */
export const WOO_TOPICS = ["order.created", "order.updated", "order.deleted", "customer.created", "customer.updated", "customer.deleted"] as const;
export type WooTopic = (typeof WOO_TOPICS)[number];

export const ConnectInput = z.object({
  storeUrl: z.string().trim().min(1).max(2048),
  consumerKey: z.string().trim().regex(/^ck_[A-Za-z0-9]{16,64}$/),
  consumerSecret: z.string().trim().regex(/^cs_[A-Za-z0-9]{16,64}$/),
  earnStatus: z.enum(["processing", "completed"]).default("processing"),
});
export type ConnectInput = z.input<typeof ConnectInput>;

export type ConnectFailure =
  | "invalid_input"
  | "invalid_url"
  | "https_required"
  | "bad_keys"
  | "keys_read_only"
  | "unreachable"
  | "not_woocommerce"
  | "webhook_failed"
  | "domain_taken";

export type ConnectResult =
  | { ok: true; connectionId: string; shopId: string; shopDomain: string; pluginSecret: string; webhooks: number }
  | { ok: false; reason: ConnectFailure; detail?: string };

export interface ConnectOptions {
  /** Where the store sends webhooks: this app's public origin. */
  publicUrl: string;
  ownerShopDomain?: string | null;
  client?: ClientOptions;
  allowLoopback?: boolean;
}

const purpose = (connectionId: string, field: string) => `woo:${connectionId}:${field}`;

export function deliveryUrl(publicUrl: string, connectionId: string) {
  return `${publicUrl.replace(/\/+$/, "")}/woo/webhooks/${connectionId}`;
}

/** The decrypted REST client of a connection. */
export async function clientFor(db: Db, connectionId: string, options: ClientOptions = {}): Promise<WooClient> {
  const connection = await db.wooConnection.findUniqueOrThrow({ where: { id: connectionId } });
  return wooClient(
    {
      url: connection.storeUrl,
      consumerKey: decryptSecret(connection.consumerKey, purpose(connection.id, "consumerKey")),
      consumerSecret: decryptSecret(connection.consumerSecret, purpose(connection.id, "consumerSecret")),
    },
    options,
  );
}

export function pluginSecretOf(connection: { id: string; pluginSecret: string }) {
  return decryptSecret(connection.pluginSecret, purpose(connection.id, "pluginSecret"));
}

export function webhookSecretOf(connectionId: string, webhook: { topic: string; secret: string }) {
  return decryptSecret(webhook.secret, purpose(connectionId, `webhook:${webhook.topic}`));
}

function failure(error: unknown): { ok: false; reason: ConnectFailure; detail: string } {
  if (error instanceof WooApiError) {
    if (error.kind === "auth") return { ok: false, reason: "bad_keys", detail: `${error.code}: ${error.message}` };
    if (error.kind === "unreachable" || error.kind === "transient") return { ok: false, reason: "unreachable", detail: error.message };
    if (error.kind === "not_found") return { ok: false, reason: "not_woocommerce", detail: `${error.code}: ${error.message}` };
    return { ok: false, reason: "not_woocommerce", detail: `${error.code}: ${error.message}` };
  }
  throw error;
}

/** Registers one webhook on the store (WooCommerce pings the delivery URL first) and stores its secret. */
export async function registerWebhook(db: Db, client: WooClient, connectionId: string, topic: string, publicUrl: string) {
  const secret = newSecret();
  const created = await client.post<{ id: number }>("webhooks", {
    name: `Tierwise ${topic}`,
    topic,
    delivery_url: deliveryUrl(publicUrl, connectionId),
    secret,
    status: "active",
  });
  const data = { wooWebhookId: created.data.id, secret: encryptSecret(secret, purpose(connectionId, `webhook:${topic}`)) };
  await db.wooWebhook.upsert({
    where: { connectionId_topic: { connectionId, topic } },
    create: { connectionId, topic, ...data },
    update: data,
  });
}

async function removeWebhooks(db: Db, client: WooClient | null, connectionId: string) {
  const webhooks = await db.wooWebhook.findMany({ where: { connectionId } });
  for (const webhook of webhooks) {
    if (client) {
      try {
        await client.delete(`webhooks/${webhook.wooWebhookId}`, { force: true });
      } catch (error) {
        // Already gone from the store is what we wanted.
        if (!(error instanceof WooApiError && error.kind === "not_found")) throw error;
      }
    }
    await db.wooWebhook.delete({ where: { id: webhook.id } });
  }
}

/**
 * Connects a WooCommerce store: checks the keys with a read of system_status, gives the store its
 * own Shop and program (installShop, platform WOOCOMMERCE, the store's currency), stores the keys
 * encrypted, and registers the webhooks. Connecting again (new keys, another earning status)
 * replaces the webhooks and keeps the program, members and the plugin secret.
 */
export async function connectWooStore(db: Db, raw: unknown, options: ConnectOptions): Promise<ConnectResult> {
  const parsed = ConnectInput.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: "invalid_input", detail: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") };
  const input = parsed.data;
  const store = parseStoreUrl(input.storeUrl, options.allowLoopback);
  if (!store.ok) return { ok: false, reason: store.reason };

  const client = wooClient({ url: store.url, consumerKey: input.consumerKey, consumerSecret: input.consumerSecret }, options.client);
  let currency = "USD";
  try {
    const status = await client.get<{ settings?: { currency?: string }; environment?: { version?: string } }>("system_status");
    if (!status.data?.environment?.version) return { ok: false, reason: "not_woocommerce", detail: "system_status has no WooCommerce version" };
    if (status.data.settings?.currency && /^[A-Za-z]{3}$/.test(status.data.settings.currency)) currency = status.data.settings.currency.toUpperCase();
  } catch (error) {
    return failure(error);
  }

  const existingShop = await db.shop.findUnique({ where: { domain: store.domain } });
  if (existingShop && existingShop.platform !== "WOOCOMMERCE") return { ok: false, reason: "domain_taken" };
  const shop = await installShop(db, store.domain, { platform: "WOOCOMMERCE", currency });

  let connection = await db.wooConnection.findUnique({ where: { shopId: shop.id } });
  if (!connection) {
    connection = await db.wooConnection.create({
      data: {
        shopId: shop.id,
        storeUrl: store.url,
        consumerKey: "",
        consumerSecret: "",
        pluginSecret: "",
        earnStatus: input.earnStatus,
        ownerShopDomain: options.ownerShopDomain ?? null,
      },
    });
  }
  const id = connection.id;
  const pluginSecret = connection.pluginSecret ? pluginSecretOf(connection) : newSecret();
  // Webhooks of an earlier connection go with the old keys, when those still work.
  if (connection.consumerKey) {
    try {
      await removeWebhooks(db, await clientFor(db, id, options.client), id);
    } catch {
      await db.wooWebhook.deleteMany({ where: { connectionId: id } });
    }
  }
  connection = await db.wooConnection.update({
    where: { id },
    data: {
      storeUrl: store.url,
      consumerKey: encryptSecret(input.consumerKey, purpose(id, "consumerKey")),
      consumerSecret: encryptSecret(input.consumerSecret, purpose(id, "consumerSecret")),
      pluginSecret: encryptSecret(pluginSecret, purpose(id, "pluginSecret")),
      earnStatus: input.earnStatus,
      status: "CONNECTED",
      // Reconciliation reads changes from the moment of connecting; older orders are history.
      lastSyncedAt: connection.lastSyncedAt ?? new Date(),
      ...(options.ownerShopDomain ? { ownerShopDomain: options.ownerShopDomain } : {}),
    },
  });

  try {
    for (const topic of WOO_TOPICS) await registerWebhook(db, client, id, topic, options.publicUrl);
  } catch (error) {
    // Leave nothing half-registered behind.
    await removeWebhooks(db, client, id).catch(() => db.wooWebhook.deleteMany({ where: { connectionId: id } }));
    await db.wooConnection.update({ where: { id }, data: { status: "DISCONNECTED" } });
    if (error instanceof WooApiError && error.kind === "auth") return { ok: false, reason: "keys_read_only", detail: error.message };
    if (error instanceof WooApiError) return { ok: false, reason: "webhook_failed", detail: `${error.code}: ${error.message}` };
    throw error;
  }
  return { ok: true, connectionId: id, shopId: shop.id, shopDomain: shop.domain, pluginSecret, webhooks: WOO_TOPICS.length };
}

/**
 * Disconnects a store: its webhooks are removed from the store (and here), the keys are wiped,
 * and the shop is marked uninstalled, so deliveries and storefront calls stop being accepted.
 * Members and the ledger stay, as on a Shopify uninstall.
 */
export async function disconnectWooStore(db: Db, connectionId: string, options: { client?: ClientOptions } = {}) {
  const connection = await db.wooConnection.findUnique({ where: { id: connectionId } });
  if (!connection) return { ok: false as const, reason: "unknown_connection" as const };
  let client: WooClient | null = null;
  if (connection.consumerKey) client = await clientFor(db, connectionId, options.client);
  let removedFromStore = true;
  try {
    await removeWebhooks(db, client, connectionId);
  } catch {
    // The store is unreachable or the keys were revoked: stop trusting its webhooks anyway.
    removedFromStore = false;
    await db.wooWebhook.deleteMany({ where: { connectionId } });
  }
  await db.wooConnection.update({ where: { id: connectionId }, data: { status: "DISCONNECTED", consumerKey: "", consumerSecret: "" } });
  const shop = await db.shop.findUniqueOrThrow({ where: { id: connection.shopId } });
  await uninstallShop(db, shop.domain);
  return { ok: true as const, removedFromStore };
}
