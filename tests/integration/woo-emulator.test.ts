import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import { Agent } from "node:https";
import type { AddressInfo } from "node:net";
import WooCommerceRestApiModule from "@woocommerce/woocommerce-rest-api";
import OAuth from "oauth-1.0a";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWooEmulator, DEFAULT_KEY, MAX_FAILURES, type WooEmulator } from "../emulators/woocommerce";
import { selfSignedCertificate } from "../support/woo";
import { wooClient, WooApiError } from "../../woo-bridge/src/client.server";
import { wooCouponIssuer } from "../../woo-bridge/src/coupon-issuer.server";

/**
 * The WooCommerce REST emulator against the real @woocommerce/woocommerce-rest-api client: the
 * authentication WooCommerce requires on each transport, its error bodies, pagination headers,
 * and webhook deliveries with real signatures; plus our client wrapper's retries.
 */
const WooCommerceRestApi =
  (WooCommerceRestApiModule as unknown as { default?: typeof WooCommerceRestApiModule }).default ?? WooCommerceRestApiModule;

const READ_ONLY = { consumerKey: "ck_readonly0000000000000000000000000000000", consumerSecret: "cs_readonly0000000000000000000000000000000", permissions: "read" as const };

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let http: WooEmulator;
let https: WooEmulator;
let cert: { key: string; cert: string };
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
let receiverStatus = 200;

beforeAll(async () => {
  cert = selfSignedCertificate();
  http = await createWooEmulator({ keys: [DEFAULT_KEY, READ_ONLY] });
  https = await createWooEmulator({ tls: cert });
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      response.statusCode = receiverStatus;
      response.end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  await http?.stop();
  await https?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

const errorOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error as { response: { status: number; data: unknown } };
  }
  throw new Error("expected the request to fail");
};

describe("authentication", () => {
  it("accepts Basic auth over HTTPS and refuses a wrong secret with WooCommerce's error body", async () => {
    const agent = new Agent({ ca: cert.cert });
    const api = new WooCommerceRestApi({ url: https.url, consumerKey: DEFAULT_KEY.consumerKey, consumerSecret: DEFAULT_KEY.consumerSecret, version: "wc/v3", axiosConfig: { httpsAgent: agent } });
    const status = await api.get("system_status");
    expect(status.status).toBe(200);
    expect(status.data.environment.secure_connection).toBe(true);

    const queryAuth = new WooCommerceRestApi({ url: https.url, consumerKey: DEFAULT_KEY.consumerKey, consumerSecret: DEFAULT_KEY.consumerSecret, version: "wc/v3", queryStringAuth: true, axiosConfig: { httpsAgent: agent } });
    expect((await queryAuth.get("customers")).status).toBe(200);

    const wrong = new WooCommerceRestApi({ url: https.url, consumerKey: DEFAULT_KEY.consumerKey, consumerSecret: "cs_wrong", version: "wc/v3", axiosConfig: { httpsAgent: agent } });
    const error = await errorOf(wrong.get("system_status"));
    expect(error.response.status).toBe(401);
    expect(error.response.data).toEqual({ code: "woocommerce_rest_authentication_error", message: "Consumer secret is invalid.", data: { status: 401 } });
  });

  it("ignores Basic auth over plain HTTP, where only OAuth 1.0a counts", async () => {
    const basic = Buffer.from(`${DEFAULT_KEY.consumerKey}:${DEFAULT_KEY.consumerSecret}`).toString("base64");
    const response = await fetch(`${http.url}/wp-json/wc/v3/customers`, { headers: { Authorization: `Basic ${basic}` } });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ code: "woocommerce_rest_cannot_view", message: "Sorry, you cannot list resources.", data: { status: 401 } });

    const api = new WooCommerceRestApi({ url: http.url, consumerKey: DEFAULT_KEY.consumerKey, consumerSecret: DEFAULT_KEY.consumerSecret, version: "wc/v3" });
    expect((await api.get("customers", { search: "a b:c" })).status).toBe(200);
  });

  it("refuses a tampered OAuth request, a replayed nonce and a stale timestamp", async () => {
    const api = new WooCommerceRestApi({ url: http.url, consumerKey: DEFAULT_KEY.consumerKey, consumerSecret: DEFAULT_KEY.consumerSecret, version: "wc/v3" });
    let signedUrl = "";
    const capture = new WooCommerceRestApi({
      url: http.url,
      consumerKey: DEFAULT_KEY.consumerKey,
      consumerSecret: DEFAULT_KEY.consumerSecret,
      version: "wc/v3",
      axiosConfig: {
        adapter: async (config: { url: string; params: Record<string, string> }) => {
          signedUrl = `${config.url}&${new URLSearchParams(config.params).toString()}`;
          return { data: {}, status: 200, statusText: "OK", headers: {}, config };
        },
      },
    });
    await capture.get("orders", { per_page: 5 });
    expect(signedUrl).toContain("oauth_signature=");
    const first = await fetch(signedUrl);
    expect(first.status).toBe(200);
    const replay = await fetch(signedUrl);
    expect(replay.status).toBe(401);
    expect((await replay.json()).message).toMatch(/nonce/i);
    const tampered = await fetch(signedUrl.replaceAll("per_page=5", "per_page=6"));
    expect(tampered.status).toBe(401);
    expect((await tampered.json()).message).toMatch(/signature/i);
    // Correctly signed, but an hour old.
    const oauth = new OAuth({ consumer: { key: DEFAULT_KEY.consumerKey, secret: DEFAULT_KEY.consumerSecret }, signature_method: "HMAC-SHA256", hash_function: (base, key) => createHmac("sha256", key).update(base).digest("base64") });
    oauth.getTimeStamp = () => Math.floor(Date.now() / 1000) - 3600;
    const url = `${http.url}/wp-json/wc/v3/orders`;
    const stale = await fetch(`${url}?${new URLSearchParams(oauth.authorize({ url, method: "GET" }) as unknown as Record<string, string>)}`);
    expect(stale.status).toBe(401);
    expect((await stale.json()).message).toBe("Invalid timestamp.");
    expect((await api.get("orders")).status).toBe(200);
  });

  it("refuses writes with a read-only key", async () => {
    const api = new WooCommerceRestApi({ url: http.url, consumerKey: READ_ONLY.consumerKey, consumerSecret: READ_ONLY.consumerSecret, version: "wc/v3" });
    expect((await api.get("coupons")).status).toBe(200);
    const error = await errorOf(api.post("coupons", { code: "nope", amount: "1" }));
    expect(error.response.status).toBe(401);
    expect(http.store.coupons.size).toBe(0);
  });
});

describe("lists", () => {
  it("pages with X-WP-Total and X-WP-TotalPages, and refuses per_page over 100", async () => {
    for (let i = 0; i < 25; i++) http.addCustomer({ email: `page${i}@example.com` });
    const client = wooClient({ url: http.url, consumerKey: DEFAULT_KEY.consumerKey, consumerSecret: DEFAULT_KEY.consumerSecret });
    const page = await client.get<unknown[]>("customers", { per_page: 10, page: 3 });
    expect(page.headers["x-wp-total"]).toBe("25");
    expect(page.headers["x-wp-totalpages"]).toBe("3");
    expect(page.data).toHaveLength(5);
    expect(await client.getAll("customers")).toHaveLength(25);
    for (let i = 25; i < 230; i++) http.addCustomer({ email: `page${i}@example.com` });
    const before = http.requestLog.length;
    const all = await client.getAll<{ id: number }>("customers");
    expect(all).toHaveLength(230);
    expect(new Set(all.map((c) => c.id)).size).toBe(230);
    expect(http.requestLog.slice(before).map((r) => r.path)).toEqual(Array(3).fill("/wp-json/wc/v3/customers"));
    const error = await client.get("customers", { per_page: 101 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WooApiError);
    expect(error).toMatchObject({ kind: "invalid", status: 400, code: "rest_invalid_param" });
  });

  it("retries 5xx answers and gives up with a transient error", async () => {
    const client = wooClient({ url: http.url, consumerKey: DEFAULT_KEY.consumerKey, consumerSecret: DEFAULT_KEY.consumerSecret }, { sleep: async () => {} });
    http.failNextRequests(2, 503);
    expect((await client.get("system_status")).status).toBe(200);
    http.failNextRequests(10, 500);
    await expect(client.get("system_status")).rejects.toMatchObject({ kind: "transient", status: 500 });
    http.failNextRequests(0);
  });
});

describe("webhooks", () => {
  it("pings on creation, then delivers signed bodies with WooCommerce's headers", async () => {
    const api = new WooCommerceRestApi({ url: http.url, consumerKey: DEFAULT_KEY.consumerKey, consumerSecret: DEFAULT_KEY.consumerSecret, version: "wc/v3" });
    received.length = 0;
    const created = await api.post("webhooks", { name: "test", topic: "order.updated", delivery_url: receiverUrl, secret: "s3cret" });
    expect(created.status).toBe(201);
    expect(received[0].body).toBe(`webhook_id=${created.data.id}`);
    expect(received[0].headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(received[0].headers["x-wc-webhook-signature"]).toBeUndefined();

    const order = http.placeOrder({ lines: [{ productId: 1, quantity: 1, unitMinor: 1234 }], email: "guest@example.com" });
    http.setStatus(order, "processing");
    await http.settle();
    const delivery = received[1];
    expect(delivery.headers["x-wc-webhook-topic"]).toBe("order.updated");
    expect(delivery.headers["x-wc-webhook-resource"]).toBe("order");
    expect(delivery.headers["x-wc-webhook-event"]).toBe("updated");
    expect(delivery.headers["x-wc-webhook-id"]).toBe(String(created.data.id));
    expect(delivery.headers["x-wc-webhook-signature"]).toBe(createHmac("sha256", "s3cret").update(delivery.body).digest("base64"));
    expect(JSON.parse(delivery.body)).toMatchObject({ id: order, status: "processing", total: "12.34" });

    http.resend("order.updated", order);
    await http.settle();
    expect(received[2].body).toBe(delivery.body);
    expect(received[2].headers["x-wc-webhook-delivery-id"]).not.toBe(delivery.headers["x-wc-webhook-delivery-id"]);
  });

  it("disables a webhook after more than 5 failed deliveries in a row, and refuses one whose ping fails", async () => {
    const api = new WooCommerceRestApi({ url: http.url, consumerKey: DEFAULT_KEY.consumerKey, consumerSecret: DEFAULT_KEY.consumerSecret, version: "wc/v3" });
    const hook = [...http.store.webhooks.values()].find((w) => w.delivery_url === receiverUrl)!;
    receiverStatus = 500;
    const order = http.placeOrder({ lines: [{ productId: 1, quantity: 1, unitMinor: 100 }] });
    for (let i = 0; i < MAX_FAILURES; i++) http.setStatus(order, i % 2 ? "processing" : "on-hold");
    await http.settle();
    expect(hook.status).toBe("active");
    http.setStatus(order, "completed");
    await http.settle();
    expect(hook.status).toBe("disabled");
    expect((await api.get(`webhooks/${hook.id}`)).data.status).toBe("disabled");

    const error = await errorOf(api.post("webhooks", { topic: "order.created", delivery_url: receiverUrl }));
    expect(error.response.status).toBe(400);
    expect(error.response.data).toMatchObject({ code: "woocommerce_rest_webhook_delivery_failed", data: { status: 400 } });
    receiverStatus = 200;
  });
});

describe("coupons", () => {
  it("refuses a duplicate code, which the issuer recognises as its own earlier success", async () => {
    const client = wooClient({ url: http.url, consumerKey: DEFAULT_KEY.consumerKey, consumerSecret: DEFAULT_KEY.consumerSecret });
    const issuer = wooCouponIssuer(client);
    const request = {
      code: "TW-AAAA-CCCC-DDDD",
      title: "5 off",
      terms: {
        rewardId: "r",
        name: "5 off",
        kind: "FIXED_AMOUNT" as const,
        pointsCost: 500,
        valueMinor: 500,
        percentage: 0,
        variantId: null,
        minimumSubtotalMinor: 2000,
        currency: "USD",
        combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: true },
        codeExpiryDays: 30,
      },
      platformCustomerId: "7",
      customerEmail: "ada@example.com",
      startsAt: new Date("2026-11-01T00:00:00Z"),
      endsAt: new Date("2026-12-01T00:00:00Z"),
    };
    const first = await issuer.create(request);
    expect(first.ok).toBe(true);
    const again = await issuer.create(request);
    expect(again).toEqual(first);
    expect(http.store.coupons.size).toBe(1);
    const coupon = [...http.store.coupons.values()][0];
    expect(coupon).toMatchObject({ code: "tw-aaaa-cccc-dddd", amount: "5.00", minimum_amount: "20.00", date_expires: "2026-12-01T00:00:00", individual_use: true });
    expect(await issuer.find("tw-aaaa-cccc-dddd")).toEqual({ platformDiscountId: (first as { platformDiscountId: string }).platformDiscountId });
    expect(await issuer.find("TW-NONE-NONE-NONE")).toBeNull();

    const refused = await issuer.create({ ...request, code: "TW-EEEE-FFFF-GGGG", terms: { ...request.terms, kind: "PERCENTAGE", percentage: -5 } });
    expect(refused).toMatchObject({ ok: false, permanent: true });
  });
});
