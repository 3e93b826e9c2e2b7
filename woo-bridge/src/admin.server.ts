import type { Db } from "../../app/db.server";
import { connectWooStore, disconnectWooStore } from "./connection.server";

/** The WooCommerce stores a Shopify merchant connected from the embedded admin. */
export async function connectedStores(db: Db, ownerShopDomain: string) {
  const connections = await db.wooConnection.findMany({ where: { ownerShopDomain, status: "CONNECTED" }, orderBy: { createdAt: "asc" } });
  return connections.map((c) => ({ id: c.id, storeUrl: c.storeUrl, earnStatus: c.earnStatus, lastSyncedAt: c.lastSyncedAt?.toISOString() ?? null, lastSyncError: c.lastSyncError }));
}

export async function connectFromAdmin(db: Db, ownerShopDomain: string, form: FormData, publicUrl: string) {
  return connectWooStore(
    db,
    {
      storeUrl: String(form.get("storeUrl") ?? ""),
      consumerKey: String(form.get("consumerKey") ?? ""),
      consumerSecret: String(form.get("consumerSecret") ?? ""),
      earnStatus: String(form.get("earnStatus") ?? "processing"),
    },
    { publicUrl, ownerShopDomain },
  );
}

/** Only the merchant who connected a store may disconnect it from their admin. */
export async function disconnectFromAdmin(db: Db, ownerShopDomain: string, connectionId: string) {
  const connection = await db.wooConnection.findFirst({ where: { id: connectionId, ownerShopDomain } });
  if (!connection) return { ok: false as const, reason: "unknown_connection" as const };
  await disconnectWooStore(db, connectionId);
  return { ok: true as const, storeUrl: connection.storeUrl };
}
