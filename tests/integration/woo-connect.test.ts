import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabaseFile } from "../support/database-file";
import { Agent } from "node:https";
import { freePort, selfSignedCertificate, TEST_ENCRYPTION_KEY } from "../support/woo";
import { createWooEmulator, DEFAULT_KEY, type WooEmulator } from "../emulators/woocommerce";

/**
 * connectWooStore in-process against the emulator: every way connecting can fail leaves nothing
 * registered on the store, and connecting again keeps the program and the plugin secret.
 */
const databaseFile = freshDatabaseFile();
process.env.DATABASE_URL = `file:${databaseFile}`;
process.env.TIERWISE_ENCRYPTION_KEY = TEST_ENCRYPTION_KEY;
const { default: db } = await import("../../app/db.server");
const { connectWooStore, disconnectWooStore } = await import("../../woo-bridge/src/connection.server");
const { pluginSecretOf } = await import("../../woo-bridge/src/connection.server");

const READ_ONLY = { consumerKey: "ck_readonly0000000000000000000000000000000", consumerSecret: "cs_readonly0000000000000000000000000000000", permissions: "read" as const };
let emulator: WooEmulator;
let hookServer: Server;
let publicUrl: string;
let notWoo: Server;
let notWooUrl: string;

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

beforeAll(async () => {
  emulator = await createWooEmulator({ keys: [DEFAULT_KEY, READ_ONLY] });
  // Stands in for the app's webhook route: answers the ping.
  hookServer = createServer((request, response) => {
    request.resume();
    request.on("end", () => response.end("ok"));
  });
  publicUrl = await listen(hookServer);
  // A WordPress without WooCommerce: the REST API has no wc/v3 route.
  notWoo = createServer((request, response) => {
    response.statusCode = 404;
    response.setHeader("Content-Type", "application/json");
    response.end(JSON.stringify({ code: "rest_no_route", message: "No route was found matching the URL and request method.", data: { status: 404 } }));
  });
  notWooUrl = await listen(notWoo);
});
afterAll(async () => {
  await emulator?.stop();
  await new Promise((resolve) => hookServer?.close(resolve));
  await new Promise((resolve) => notWoo?.close(resolve));
  await db.$disconnect();
});

const keys = { consumerKey: DEFAULT_KEY.consumerKey, consumerSecret: DEFAULT_KEY.consumerSecret };
const options = (url = publicUrl) => ({ publicUrl: url, allowLoopback: true, client: { sleep: async () => {} } });

describe("connecting", () => {
  it("uses Basic auth over HTTPS", async () => {
    const cert = selfSignedCertificate();
    const secure = await createWooEmulator({ tls: cert });
    try {
      const result = await connectWooStore(db, { storeUrl: secure.url, ...keys }, { ...options(), client: { httpsAgent: new Agent({ ca: cert.cert }) } });
      expect(result).toMatchObject({ ok: true });
      expect(secure.store.webhooks.size).toBe(6);
      expect(secure.requestLog.every((r) => r.status < 300)).toBe(true);
      if (result.ok) await disconnectWooStore(db, result.connectionId, { client: { httpsAgent: new Agent({ ca: cert.cert }) } });
      expect(secure.store.webhooks.size).toBe(0);
    } finally {
      await secure.stop();
    }
  });

  it("tells a site without WooCommerce, an unreachable store and read-only keys apart", async () => {
    expect(await connectWooStore(db, { storeUrl: notWooUrl, ...keys }, options())).toMatchObject({ ok: false, reason: "not_woocommerce" });
    const closed = await freePort();
    expect(await connectWooStore(db, { storeUrl: `http://127.0.0.1:${closed}`, ...keys }, options())).toMatchObject({ ok: false, reason: "unreachable" });
    const readOnly = await connectWooStore(db, { storeUrl: emulator.url, consumerKey: READ_ONLY.consumerKey, consumerSecret: READ_ONLY.consumerSecret }, options());
    expect(readOnly).toMatchObject({ ok: false, reason: "keys_read_only" });
    expect(emulator.store.webhooks.size).toBe(0);
    expect(await db.wooWebhook.count()).toBe(0);
  });

  it("removes what it registered when the store cannot reach the app", async () => {
    const closed = await freePort();
    const result = await connectWooStore(db, { storeUrl: emulator.url, ...keys }, options(`http://127.0.0.1:${closed}`));
    expect(result).toMatchObject({ ok: false, reason: "webhook_failed" });
    expect(emulator.store.webhooks.size).toBe(0);
    expect(await db.wooWebhook.count()).toBe(0);
    expect((await db.wooConnection.findFirstOrThrow()).status).toBe("DISCONNECTED");
  });

  it("connects, and connecting again replaces the webhooks and keeps the program and plugin secret", async () => {
    const first = await connectWooStore(db, { storeUrl: emulator.url, ...keys }, options());
    if (!first.ok) throw new Error(first.reason);
    const firstHooks = [...emulator.store.webhooks.keys()];
    expect(firstHooks).toHaveLength(6);
    const shop = await db.shop.findUniqueOrThrow({ where: { id: first.shopId }, include: { tiers: true, rewards: true } });
    expect(shop).toMatchObject({ platform: "WOOCOMMERCE", currency: "USD" });
    await db.tier.update({ where: { id: shop.tiers[0].id }, data: { name: "Copper" } });

    const second = await connectWooStore(db, { storeUrl: `${emulator.url}/`, ...keys, earnStatus: "completed" }, options());
    if (!second.ok) throw new Error(second.reason);
    expect(second.connectionId).toBe(first.connectionId);
    expect(second.pluginSecret).toBe(first.pluginSecret);
    expect([...emulator.store.webhooks.keys()].some((id) => firstHooks.includes(id))).toBe(false);
    expect(emulator.store.webhooks.size).toBe(6);
    expect(await db.tier.count({ where: { shopId: first.shopId, name: "Copper" } })).toBe(1);
    const connection = await db.wooConnection.findUniqueOrThrow({ where: { id: first.connectionId } });
    expect(connection.earnStatus).toBe("completed");
    expect(pluginSecretOf(connection)).toBe(first.pluginSecret);

    const gone = await disconnectWooStore(db, first.connectionId);
    expect(gone).toEqual({ ok: true, removedFromStore: true });
    expect(emulator.store.webhooks.size).toBe(0);
    expect((await db.shop.findUniqueOrThrow({ where: { id: first.shopId } })).uninstalledAt).not.toBeNull();
    const again = await connectWooStore(db, { storeUrl: emulator.url, ...keys }, options());
    expect(again).toMatchObject({ ok: true, connectionId: first.connectionId });
    expect((await db.shop.findUniqueOrThrow({ where: { id: first.shopId } })).uninstalledAt).toBeNull();
  });
});
