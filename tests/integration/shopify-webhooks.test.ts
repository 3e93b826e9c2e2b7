import type { PrismaClient } from "@prisma/client";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkMember } from "../../app/loyalty/ledger.server";
import { installShop } from "../../app/loyalty/program.server";
import { startApp, type RunningApp } from "../support/app-server";
import { freshDatabase } from "../support/database";
import { sendShopifyWebhook } from "../support/shopify-webhooks";
import { customersDataRequest, customersRedact, shopIdFor, shopRedact, appUninstalled } from "../fixtures/shopify/compliance";
import { shopifyCustomer } from "../fixtures/shopify/customers";
import { cancelledOrder, shopifyOrder, shopifyRefund, withRefunds } from "../fixtures/shopify/orders";

let app: RunningApp;
let db: PrismaClient;
let shopSeq = 0;

beforeAll(async () => {
  const database = freshDatabase();
  db = database.db;
  app = await startApp(database.url);
});
afterAll(async () => {
  await app?.stop();
  await db?.$disconnect();
});

async function newShop() {
  const domain = `webhooks-${++shopSeq}.myshopify.com`;
  await installShop(db, domain, { currency: "USD" });
  return domain;
}

const send = (shop: string, topic: string, payload: unknown, extra: { eventId?: string } = {}) =>
  sendShopifyWebhook(app.url, { shop, topic, payload, ...extra });

async function memberOf(shop: string, customerId: number) {
  const member = await db.member.findFirstOrThrow({
    where: { shop: { domain: shop }, platformCustomerId: String(customerId) },
    include: { tier: true },
  });
  expect(await checkMember(db, member)).toEqual([]);
  return member;
}

const ada = { id: 7001, email: "ada@example.com", firstName: "Ada", lastName: "Lovelace", state: "enabled" as const };

describe("Shopify webhooks over HTTP", () => {
  it("refuses a bad signature with 401 and writes nothing", async () => {
    const shop = await newShop();
    const payload = shopifyOrder({ id: 1, customer: ada, lines: [{ productId: 1, quantity: 1, unitPrice: "100.00" }] });
    const forged = await sendShopifyWebhook(app.url, { shop, topic: "orders/paid", payload, secret: "not-the-secret" });
    expect(forged.status).toBe(401);
    const tampered = await sendShopifyWebhook(app.url, {
      shop,
      topic: "orders/paid",
      payload,
      hmac: (await import("node:crypto")).createHmac("sha256", "tierwise-test-secret").update("{}").digest("base64"),
    });
    expect(tampered.status).toBe(401);
    expect(await db.webhookDelivery.count({ where: { shop: { domain: shop } } })).toBe(0);
    expect(await db.orderRecord.count({ where: { shop: { domain: shop } } })).toBe(0);
    expect(await db.member.count({ where: { shop: { domain: shop } } })).toBe(0);
  });

  it("awards points on the shop money paid for goods: discounts, shipping and tax excluded", async () => {
    const shop = await newShop();
    const payload = shopifyOrder({
      id: 2,
      customer: ada,
      currency: "USD",
      presentmentCurrency: "EUR",
      presentmentRate: "0.9",
      lines: [
        { productId: 11, quantity: 2, unitPrice: "25.00", discount: "5.00", tax: "3.60" },
        { productId: 12, quantity: 1, unitPrice: "30.00", tax: "2.40" },
      ],
      shipping: { price: "10.00", tax: "0.80" },
      discountCodes: [{ code: "SPRING5", amount: "5.00", type: "fixed_amount" }],
    });
    const response = await send(shop, "orders/paid", payload);
    expect(response.status).toBe(200);
    const member = await memberOf(shop, ada.id);
    // 100 welcome + floor(75.00 USD) = 175; presentment EUR amounts are ignored.
    expect(member.balance).toBe(175);
    const order = await db.orderRecord.findFirstOrThrow({ where: { shop: { domain: shop } } });
    expect(JSON.parse(order.discountCodes)).toEqual(["SPRING5"]);
  });

  it("applies a retried delivery (same event id) once, and a later orders/updated adds nothing", async () => {
    const shop = await newShop();
    const payload = shopifyOrder({ id: 3, customer: ada, lines: [{ productId: 1, quantity: 1, unitPrice: "120.00" }] });
    const first = await send(shop, "orders/paid", payload, { eventId: "evt-3" });
    const retry = await send(shop, "orders/paid", payload, { eventId: "evt-3" });
    expect(await first.json()).toMatchObject({ status: "processed" });
    expect(await retry.json()).toMatchObject({ status: "duplicate" });
    expect((await send(shop, "orders/updated", { ...payload, financial_status: "paid" })).status).toBe(200);
    expect((await memberOf(shop, ada.id)).balance).toBe(220);
  });

  it("reverses refunds in proportion to refunded goods, and a cancellation in full", async () => {
    const shop = await newShop();
    const order = shopifyOrder({
      id: 4,
      customer: ada,
      processedAt: "2026-01-10T10:00:00Z",
      lines: [
        { productId: 1, quantity: 2, unitPrice: "100.00" },
        { productId: 2, quantity: 1, unitPrice: "50.00" },
      ],
      shipping: { price: "9.99" },
    });
    await send(shop, "orders/paid", order);
    expect((await memberOf(shop, ada.id)).balance).toBe(100 + 250);
    const refund = shopifyRefund(order, { id: 41, createdAt: "2026-01-12T10:00:00Z", lines: [{ lineIndex: 0, quantity: 1 }], shipping: "9.99" });
    expect((await send(shop, "refunds/create", refund)).status).toBe(200);
    expect((await memberOf(shop, ada.id)).balance).toBe(100 + 150);
    // orders/updated carries the same refund: nothing more is reversed.
    await send(shop, "orders/updated", withRefunds(order, [refund]));
    expect((await memberOf(shop, ada.id)).balance).toBe(100 + 150);
    await send(shop, "orders/cancelled", cancelledOrder(withRefunds(order, [refund]), "2026-01-13T10:00:00Z"));
    const member = await memberOf(shop, ada.id);
    expect(member.balance).toBe(100);
    const reasons = (await db.ledgerEntry.findMany({ where: { memberId: member.id }, orderBy: { createdAt: "asc" } })).map((e) => [e.kind, e.points]);
    expect(reasons).toEqual([["WELCOME", 100], ["ORDER_EARN", 250], ["ORDER_REVERSAL", -100], ["ORDER_REVERSAL", -150]]);
  });

  it("gives nothing for orders/paid that arrives after the order's refund and cancellation", async () => {
    const shop = await newShop();
    const order = shopifyOrder({ id: 5, customer: ada, processedAt: "2026-02-01T10:00:00Z", lines: [{ productId: 1, quantity: 1, unitPrice: "80.00" }] });
    const refund = shopifyRefund(order, { id: 51, createdAt: "2026-02-02T10:00:00Z", lines: [{ lineIndex: 0, quantity: 1 }] });
    await send(shop, "customers/create", shopifyCustomer(ada));
    await send(shop, "refunds/create", refund);
    await send(shop, "orders/cancelled", cancelledOrder(withRefunds(order, [refund]), "2026-02-02T11:00:00Z"));
    await send(shop, "orders/paid", order);
    const member = await memberOf(shop, ada.id);
    expect(member.balance).toBe(100);
    expect(member.lifetimePoints).toBe(100);
  });

  it("earns on point-of-sale orders of members", async () => {
    const shop = await newShop();
    const payload = shopifyOrder({ id: 6, customer: ada, sourceName: "pos", lines: [{ productId: 1, quantity: 3, unitPrice: "10.00" }] });
    expect(payload.source_name).toBe("pos");
    await send(shop, "orders/paid", payload);
    expect((await memberOf(shop, ada.id)).balance).toBe(130);
  });

  it("keeps a guest's order and credits it when the email becomes a member", async () => {
    const shop = await newShop();
    const guest = { id: 7002, email: "Guest@Example.com", state: "disabled" as const };
    await send(shop, "orders/paid", shopifyOrder({ id: 7, customer: guest, lines: [{ productId: 1, quantity: 1, unitPrice: "60.00" }] }));
    expect(await db.member.count({ where: { shop: { domain: shop } } })).toBe(0);
    await send(shop, "customers/update", shopifyCustomer({ ...guest, state: "enabled" }));
    expect((await memberOf(shop, guest.id)).balance).toBe(160);
  });

  it("rejects a malformed payload with 400 and a clear error, writing nothing", async () => {
    const shop = await newShop();
    const payload = shopifyOrder({ id: 8, customer: ada, lines: [{ productId: 1, quantity: 1, unitPrice: "60.00" }] });
    const bad = { ...payload, line_items: "lots" };
    const response = await send(shop, "orders/paid", bad);
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/line_items/);
    const badMoney = await send(shop, "orders/paid", { ...payload, currency: "dollars" });
    expect(badMoney.status).toBe(400);
    const absurd = shopifyOrder({ id: 8, customer: ada, lines: [{ productId: 1, quantity: 1, unitPrice: "900000000000000.00" }] });
    const absurdResponse = await send(shop, "orders/paid", absurd);
    expect(absurdResponse.status).toBe(400);
    expect((await absurdResponse.json()).error).toMatch(/not a money amount/);
    const notJson = await sendShopifyWebhook(app.url, { shop, topic: "orders/paid", payload: null, rawBody: "{not json" });
    expect(notJson.status).toBe(400);
    const huge = await sendShopifyWebhook(app.url, { shop, topic: "orders/paid", payload: null, rawBody: JSON.stringify({ ...payload, note: "x".repeat(6 * 1024 * 1024) }) });
    expect(huge.status).toBe(413);
    expect(await db.webhookDelivery.count({ where: { shop: { domain: shop } } })).toBe(0);
    expect(await db.orderRecord.count({ where: { shop: { domain: shop } } })).toBe(0);
  });

  it("refuses a body that grows past the limit without saying its length, and a compressed body, writing nothing", async () => {
    const shop = await newShop();
    const post = (headers: Record<string, string>, write: (req: http.ClientRequest) => void) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const url = new URL(app.url);
        const req = http.request({ host: url.hostname, port: url.port, path: "/webhooks/orders/paid", method: "POST", headers: { "X-Shopify-Topic": "orders/paid", "X-Shopify-Shop-Domain": shop, ...headers } }, (res) => {
          let body = "";
          res.on("data", (chunk) => (body += chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        });
        // The server may answer and close before the whole body is sent.
        req.on("error", (error: NodeJS.ErrnoException) => (error.code === "EPIPE" || error.code === "ECONNRESET" ? undefined : reject(error)));
        write(req);
      });
    // Chunked: no Content-Length to refuse it by, so it is refused once 5 MB have come in.
    const chunk = "x".repeat(1024 * 1024);
    const streamed = await post({ "Content-Type": "application/json" }, (req) => {
      for (let i = 0; i < 6; i++) req.write(chunk);
      req.end();
    });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body).error).toMatch(/limited to/);
    const gzipped = await post({ "Content-Type": "application/json", "Content-Encoding": "gzip" }, (req) => req.end("not really gzip"));
    expect(gzipped.status).toBe(415);
    expect(JSON.parse(gzipped.body).error).toMatch(/Content-Encoding: gzip/);
    expect(await db.webhookDelivery.count({ where: { shop: { domain: shop } } })).toBe(0);
  });

  it("answers customers/data_request with the member's data, and customers/redact removes personal data but keeps the ledger", async () => {
    const shop = await newShop();
    await send(shop, "orders/paid", shopifyOrder({ id: 9, customer: ada, lines: [{ productId: 1, quantity: 1, unitPrice: "40.00" }] }));
    const shopId = shopIdFor(shop);
    const request = customersDataRequest({ shopId, shopDomain: shop, customer: { id: ada.id, email: ada.email, phone: null }, ordersRequested: [9], dataRequestId: 901 });
    expect((await send(shop, "customers/data_request", request)).status).toBe(200);
    const report = JSON.parse((await db.dataRequest.findFirstOrThrow({ where: { shop: { domain: shop } } })).report);
    expect(report.customer.email).toBe("ada@example.com");
    expect(report.ledger).toHaveLength(2);

    const redact = customersRedact({ shopId, shopDomain: shop, customer: { id: ada.id, email: ada.email, phone: null }, ordersToRedact: [9] });
    expect((await send(shop, "customers/redact", redact)).status).toBe(200);
    const member = await memberOf(shop, ada.id);
    expect([member.email, member.firstName, member.lastName, member.phone]).toEqual([null, null, null, null]);
    expect(member.redactedAt).not.toBeNull();
    expect(member.balance).toBe(140);
    expect(await db.ledgerEntry.count({ where: { memberId: member.id } })).toBe(2);
    const order = await db.orderRecord.findFirstOrThrow({ where: { shop: { domain: shop } } });
    expect(order.email).toBeNull();
    // A later update does not bring the personal data back.
    await send(shop, "customers/update", shopifyCustomer(ada));
    expect((await memberOf(shop, ada.id)).email).toBeNull();
  });

  it("stops on app/uninstalled and deletes everything of the shop on shop/redact", async () => {
    const shop = await newShop();
    await send(shop, "orders/paid", shopifyOrder({ id: 10, customer: ada, lines: [{ productId: 1, quantity: 1, unitPrice: "40.00" }] }));
    expect((await send(shop, "app/uninstalled", appUninstalled(shop))).status).toBe(200);
    expect((await db.shop.findUniqueOrThrow({ where: { domain: shop } })).uninstalledAt).not.toBeNull();
    const late = await send(shop, "orders/paid", shopifyOrder({ id: 11, customer: ada, lines: [{ productId: 1, quantity: 1, unitPrice: "40.00" }] }));
    expect(await late.json()).toMatchObject({ status: "unknown_shop" });
    expect((await send(shop, "shop/redact", shopRedact({ shopId: shopIdFor(shop), shopDomain: shop }))).status).toBe(200);
    expect(await db.shop.count({ where: { domain: shop } })).toBe(0);
    expect(await db.member.count({ where: { shop: { domain: shop } } })).toBe(0);
    expect(await db.ledgerEntry.count({ where: { shop: { domain: shop } } })).toBe(0);
  });
});
