import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkMember } from "../../app/loyalty/ledger.server";
import { installShop } from "../../app/loyalty/program.server";
import { startApp, type RunningApp } from "../support/app-server";
import { freshDatabase } from "../support/database";
import { inboxDrained } from "../support/inbox";
import { sendShopifyWebhook } from "../support/shopify-webhooks";
import { shopifyOrder } from "../fixtures/shopify/orders";

// Two app processes on one SQLite file: separate HTTP connections, separate database connections.
let first: RunningApp;
let second: RunningApp;
let db: PrismaClient;
let databaseUrl: string;
const shop = "concurrent.myshopify.com";

beforeAll(async () => {
  const database = freshDatabase();
  db = database.db;
  databaseUrl = database.url;
  await installShop(db, shop);
  [first, second] = await Promise.all([startApp(database.url), startApp(database.url)]);
});
afterAll(async () => {
  await Promise.all([first?.stop(), second?.stop()]);
  await db?.$disconnect();
});

describe("concurrent deliveries", () => {
  it("two simultaneous deliveries of the same event, to two processes, award once", async () => {
    const customers = Array.from({ length: 20 }, (_, i) => ({ id: 9000 + i, email: `c${i}@example.com`, state: "enabled" as const }));
    const sends = customers.flatMap((customer, i) => {
      const payload = shopifyOrder({ id: 500 + i, customer, lines: [{ productId: 1, quantity: 1, unitPrice: "42.00" }] });
      const eventId = `evt-${i}`;
      return [
        sendShopifyWebhook(first.url, { shop, topic: "orders/paid", payload, eventId }),
        sendShopifyWebhook(second.url, { shop, topic: "orders/paid", payload, eventId }),
      ];
    });
    const responses = await Promise.all(sends);
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 200));
    const statuses = await Promise.all(responses.map(async (r) => (await r.json()).status));
    // One delivery of each pair is stored (and applied at once, or queued when its process is
    // busy); the other is recognised as the same event.
    expect(statuses.filter((s) => s === "processed" || s === "queued")).toHaveLength(20);
    expect(statuses.filter((s) => s === "duplicate")).toHaveLength(20);
    await inboxDrained(databaseUrl);

    for (const customer of customers) {
      const member = await db.member.findFirstOrThrow({ where: { platformCustomerId: String(customer.id) } });
      expect(member.balance).toBe(142);
      expect(await checkMember(db, member)).toEqual([]);
    }
    expect(await db.ledgerEntry.count({ where: { kind: "ORDER_EARN" } })).toBe(20);
  });

  it("different events of one order (paid and updated) racing in two processes award once", async () => {
    const customer = { id: 9100, email: "race@example.com", state: "enabled" as const };
    const payload = shopifyOrder({ id: 600, customer, financialStatus: "paid", lines: [{ productId: 1, quantity: 2, unitPrice: "50.00" }] });
    await Promise.all([
      sendShopifyWebhook(first.url, { shop, topic: "orders/paid", payload }),
      sendShopifyWebhook(second.url, { shop, topic: "orders/updated", payload }),
      sendShopifyWebhook(second.url, { shop, topic: "orders/paid", payload }),
      sendShopifyWebhook(first.url, { shop, topic: "orders/updated", payload }),
    ]);
    await inboxDrained(databaseUrl);
    const member = await db.member.findFirstOrThrow({ where: { platformCustomerId: "9100" } });
    expect(member.balance).toBe(200);
    expect(await checkMember(db, member)).toEqual([]);
  });
});
