import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { Authenticator } from "./auth";
import { money, WooStore, type ApiKey, type Coupon, type LineInput, type Order, type Webhook } from "./store";
import { WebhookDeliverer } from "./webhooks";

/**
 * A WooCommerce store's REST API (wc/v3) for tests and the demo: /wp-json/wc/v3/{system_status,
 * customers, orders, orders/<id>/refunds, coupons, webhooks}, with WooCommerce's authentication,
 * error bodies {code, message, data: {status}}, X-WP-Total / X-WP-TotalPages pagination, and real
 * signed webhook deliveries. Test hooks (placeOrder, setStatus, refund...) stand in for shoppers and
 * the merchant's wp-admin.
 */
export interface WooEmulatorOptions {
  /** Serve HTTPS (Basic auth) with this certificate; plain HTTP (OAuth 1.0a) otherwise. */
  tls?: { key: string; cert: string };
  currency?: string;
  keys?: ApiKey[];
}

export const DEFAULT_KEY: ApiKey = {
  consumerKey: "ck_0123456789abcdef0123456789abcdef01234567",
  consumerSecret: "cs_0123456789abcdef0123456789abcdef01234567",
  permissions: "read_write",
};

export const WEBHOOK_TOPICS = [
  "order.created",
  "order.updated",
  "order.deleted",
  "order.restored",
  "customer.created",
  "customer.updated",
  "customer.deleted",
  "coupon.created",
  "coupon.updated",
  "coupon.deleted",
  "product.created",
  "product.updated",
  "product.deleted",
];

class RestError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly params?: Record<string, string>) {
    super(message);
  }
}

const ORDER_STATUSES = ["pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed", "checkout-draft"];

type Handler = (ctx: { method: string; params: string[]; url: URL; body: Record<string, unknown>; write: boolean }) => Promise<unknown> | unknown;

export interface WooEmulator {
  url: string;
  store: WooStore;
  deliveries: WebhookDeliverer;
  /** The next `count` API requests answer `status` (default 500) before doing anything. */
  failNextRequests(count: number, status?: number): void;
  requestLog: { method: string; path: string; status: number }[];
  addCustomer(input: { email: string; first_name?: string; last_name?: string }): number;
  placeOrder(input: { customerId?: number; email?: string; lines: LineInput[]; shippingMinor?: number; status?: string; couponCodes?: string[] }): number;
  setStatus(orderId: number, status: string): void;
  refund(orderId: number, amountMinor: number, reason?: string): number;
  /** WooCommerce sending order.updated again for an unchanged order (a save without changes). */
  resend(topic: string, resourceId: number): void;
  settle(): Promise<void>;
  stop(): Promise<void>;
}

function paginate<T>(items: T[], url: URL, response: ServerResponse) {
  const perPage = Number(url.searchParams.get("per_page") ?? 10);
  const page = Number(url.searchParams.get("page") ?? 1);
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) {
    throw new RestError(400, "rest_invalid_param", "Invalid parameter(s): per_page", { per_page: "per_page must be between 1 (inclusive) and 100 (inclusive)" });
  }
  if (!Number.isInteger(page) || page < 1) throw new RestError(400, "rest_invalid_param", "Invalid parameter(s): page", { page: "page must be greater than or equal to 1" });
  response.setHeader("X-WP-Total", String(items.length));
  response.setHeader("X-WP-TotalPages", String(Math.ceil(items.length / perPage)));
  return items.slice((page - 1) * perPage, page * perPage);
}

function gmtParam(value: string | null, name: string): number | null {
  if (!value) return null;
  const ms = Date.parse(/Z|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);
  if (Number.isNaN(ms)) throw new RestError(400, "rest_invalid_param", `Invalid parameter(s): ${name}`, { [name]: "Invalid date." });
  return ms;
}

export async function createWooEmulator(options: WooEmulatorOptions = {}): Promise<WooEmulator> {
  const store = new WooStore();
  store.currency = options.currency ?? "USD";
  store.keys.push(...(options.keys ?? [DEFAULT_KEY]));
  const secure = Boolean(options.tls);
  let baseUrl = "";
  const auth = new Authenticator(() => store.keys);
  const deliveries = new WebhookDeliverer(store, () => `${baseUrl}/`);
  const requestLog: WooEmulator["requestLog"] = [];
  let failures = { count: 0, status: 500 };

  const notFound = (what: string) => new RestError(404, `woocommerce_rest_${what}_invalid_id`, "Invalid ID.");
  const numeric = (value: unknown) => (typeof value === "number" ? value : Number(value));

  function setStatus(orderId: number, status: string) {
    const order = store.orders.get(orderId);
    if (!order) throw notFound("shop_order");
    if (!ORDER_STATUSES.includes(status)) throw new RestError(400, "rest_invalid_param", "Invalid parameter(s): status", { status: "status is not one of " + ORDER_STATUSES.join(", ") });
    order.status = status;
    order.modified = store.tick();
    if ((status === "processing" || status === "completed") && !order.paid) order.paid = order.modified;
    if (status === "completed" && !order.completed) order.completed = order.modified;
    deliveries.fire("order.updated", orderId);
  }

  function refund(orderId: number, amountMinor: number, reason = "") {
    const order = store.orders.get(orderId);
    if (!order) throw notFound("shop_order");
    const left = store.orderTotalMinor(order) - store.refundedMinor(order);
    if (!Number.isInteger(amountMinor) || amountMinor <= 0 || amountMinor > left) {
      throw new RestError(400, "woocommerce_rest_cannot_create_order_refund", "Invalid refund amount.");
    }
    const created = store.tick();
    const refundId = store.id();
    order.refunds.unshift({ id: refundId, amountMinor, reason, created });
    order.modified = created;
    if (amountMinor === left) order.status = "refunded";
    deliveries.fire("order.updated", orderId);
    return refundId;
  }

  function placeOrder(input: Parameters<WooEmulator["placeOrder"]>[0]) {
    const customer = input.customerId ? store.customers.get(input.customerId) : null;
    if (input.customerId && !customer) throw new RestError(400, "woocommerce_rest_invalid_customer_id", "Customer ID is invalid.");
    const created = store.tick();
    const id = store.id();
    const order: Order = {
      id,
      status: "pending",
      currency: store.currency,
      customer_id: customer?.id ?? 0,
      billing: { first_name: customer?.first_name ?? "", last_name: customer?.last_name ?? "", email: input.email ?? customer?.email ?? "", phone: "" },
      lines: input.lines.map((line) => ({ ...line, id: store.id() })),
      shippingMinor: input.shippingMinor ?? 0,
      shippingTaxMinor: 0,
      couponCodes: input.couponCodes ?? [],
      created,
      modified: created,
      paid: null,
      completed: null,
      refunds: [],
    };
    store.orders.set(id, order);
    deliveries.fire("order.created", id);
    if (input.status && input.status !== "pending") setStatus(id, input.status);
    return id;
  }

  function addCustomer(input: { email: string; first_name?: string; last_name?: string }) {
    const email = String(input.email ?? "").toLowerCase();
    if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new RestError(400, "rest_invalid_param", "Invalid parameter(s): email", { email: "Invalid email address." });
    if ([...store.customers.values()].some((c) => c.email === email)) {
      throw new RestError(400, "registration-error-email-exists", "An account is already registered with your email address.");
    }
    const created = store.tick();
    const id = store.id();
    store.customers.set(id, { id, email, first_name: input.first_name ?? "", last_name: input.last_name ?? "", username: email.split("@")[0], created, modified: created });
    deliveries.fire("customer.created", id);
    return id;
  }

  function couponFrom(body: Record<string, unknown>, existing?: Coupon): Coupon {
    const now = store.tick();
    const type = (body.discount_type ?? existing?.discount_type ?? "fixed_cart") as Coupon["discount_type"];
    if (!["percent", "fixed_cart", "fixed_product"].includes(type)) {
      throw new RestError(400, "rest_invalid_param", "Invalid parameter(s): discount_type", { discount_type: "discount_type is not one of percent, fixed_cart, and fixed_product." });
    }
    const amount = body.amount ?? existing?.amount ?? "0";
    if (typeof amount !== "string" || !/^\d+(\.\d+)?$/.test(amount)) throw new RestError(400, "rest_invalid_param", "Invalid parameter(s): amount", { amount: "amount is not of type string." });
    const emails = body.email_restrictions ?? existing?.email_restrictions ?? [];
    if (!Array.isArray(emails) || emails.some((e) => typeof e !== "string")) throw new RestError(400, "rest_invalid_param", "Invalid parameter(s): email_restrictions");
    const int = (name: string, fallback: number | null) => {
      const value = body[name] ?? fallback;
      if (value !== null && (!Number.isInteger(value) || (value as number) < 0)) throw new RestError(400, "rest_invalid_param", `Invalid parameter(s): ${name}`, { [name]: `${name} is not of type integer.` });
      return value as number | null;
    };
    const bool = (name: string, fallback: boolean) => {
      const value = body[name] ?? fallback;
      if (typeof value !== "boolean") throw new RestError(400, "rest_invalid_param", `Invalid parameter(s): ${name}`, { [name]: `${name} is not of type boolean.` });
      return value;
    };
    const expires = body.date_expires === undefined ? existing?.date_expires ?? null : body.date_expires;
    if (expires !== null && (typeof expires !== "string" || Number.isNaN(Date.parse(`${expires}`)))) {
      throw new RestError(400, "rest_invalid_param", "Invalid parameter(s): date_expires", { date_expires: "Invalid date." });
    }
    return {
      id: existing?.id ?? store.id(),
      code: String(body.code ?? existing?.code ?? "").trim().toLowerCase(),
      amount: Number(amount).toFixed(2),
      discount_type: type,
      description: String(body.description ?? existing?.description ?? ""),
      date_expires: expires ? String(expires).slice(0, 19) : null,
      individual_use: bool("individual_use", existing?.individual_use ?? false),
      product_ids: (body.product_ids as number[]) ?? existing?.product_ids ?? [],
      excluded_product_ids: (body.excluded_product_ids as number[]) ?? existing?.excluded_product_ids ?? [],
      usage_limit: int("usage_limit", existing?.usage_limit ?? null),
      usage_limit_per_user: int("usage_limit_per_user", existing?.usage_limit_per_user ?? null),
      free_shipping: bool("free_shipping", existing?.free_shipping ?? false),
      exclude_sale_items: bool("exclude_sale_items", existing?.exclude_sale_items ?? false),
      minimum_amount: String(body.minimum_amount ?? existing?.minimum_amount ?? ""),
      maximum_amount: String(body.maximum_amount ?? existing?.maximum_amount ?? ""),
      email_restrictions: (emails as string[]).map((e) => e.toLowerCase()),
      usage_count: existing?.usage_count ?? 0,
      created: existing?.created ?? now,
      modified: now,
    };
  }

  const routes: { method: string; pattern: RegExp; handler: (ctx: Parameters<Handler>[0], response: ServerResponse) => unknown }[] = [];
  const route = (method: string, path: string, handler: (ctx: Parameters<Handler>[0], response: ServerResponse) => unknown) =>
    routes.push({ method, pattern: new RegExp(`^/wp-json/wc/v3/${path.replace(/:id/g, "(\\d+)")}/?$`), handler });

  route("GET", "system_status", () => ({
    environment: {
      home_url: baseUrl,
      site_url: baseUrl,
      version: "9.4.0",
      wp_version: "6.7",
      wp_multisite: false,
      secure_connection: secure,
      hide_errors: true,
    },
    database: { wc_database_version: "9.4.0" },
    active_plugins: [{ plugin: "woocommerce/woocommerce.php", name: "WooCommerce", version: "9.4.0" }],
    theme: { name: "Storefront" },
    settings: { api_enabled: true, force_ssl: false, currency: store.currency, currency_symbol: "$", currency_position: "left", thousand_separator: ",", decimal_separator: ".", number_of_decimals: 2 },
    security: { secure_connection: secure, hide_errors: true },
    pages: [],
  }));

  // Customers
  route("GET", "customers", ({ url }, response) => {
    let list = [...store.customers.values()];
    const email = url.searchParams.get("email");
    if (email) list = list.filter((c) => c.email === email.toLowerCase());
    list.sort((a, b) => (url.searchParams.get("order") === "desc" ? b.id - a.id : a.id - b.id));
    return paginate(list, url, response).map((c) => store.customerView(c));
  });
  route("POST", "customers", ({ body }, response) => {
    response.statusCode = 201;
    return store.customerView(store.customers.get(addCustomer(body as never))!);
  });
  route("GET", "customers/:id", ({ params }) => {
    const customer = store.customers.get(Number(params[0]));
    if (!customer) throw new RestError(404, "woocommerce_rest_invalid_id", "Invalid resource ID.");
    return store.customerView(customer);
  });

  // Orders
  route("GET", "orders", ({ url }, response) => {
    let list = [...store.orders.values()];
    const after = gmtParam(url.searchParams.get("modified_after"), "modified_after");
    const before = gmtParam(url.searchParams.get("modified_before"), "modified_before");
    if (after !== null) list = list.filter((o) => o.modified.getTime() > after);
    if (before !== null) list = list.filter((o) => o.modified.getTime() < before);
    const status = url.searchParams.get("status");
    if (status && status !== "any") list = list.filter((o) => status.split(",").includes(o.status));
    const customer = url.searchParams.get("customer");
    if (customer) list = list.filter((o) => o.customer_id === Number(customer));
    const orderby = url.searchParams.get("orderby") ?? "date";
    const key = (o: Order) => (orderby === "id" ? o.id : orderby === "modified" ? o.modified.getTime() : o.created.getTime());
    const direction = url.searchParams.get("order") === "asc" ? 1 : -1;
    list.sort((a, b) => (key(a) - key(b)) * direction || (a.id - b.id) * direction);
    return paginate(list, url, response).map((o) => store.orderView(o));
  });
  route("POST", "orders", ({ body }, response) => {
    const lines = Array.isArray(body.line_items) ? (body.line_items as Record<string, unknown>[]) : [];
    const id = placeOrder({
      customerId: numeric(body.customer_id ?? 0) || undefined,
      email: (body.billing as { email?: string } | undefined)?.email,
      lines: lines.map((l) => ({ productId: numeric(l.product_id), quantity: numeric(l.quantity ?? 1), unitMinor: Math.round(Number(l.price ?? l.subtotal ?? 0) * 100) })),
      status: typeof body.status === "string" ? body.status : undefined,
    });
    response.statusCode = 201;
    return store.orderView(store.orders.get(id)!);
  });
  route("GET", "orders/:id", ({ params }) => {
    const order = store.orders.get(Number(params[0]));
    if (!order) throw notFound("shop_order");
    return store.orderView(order);
  });
  route("PUT", "orders/:id", ({ params, body }) => {
    const id = Number(params[0]);
    if (!store.orders.get(id)) throw notFound("shop_order");
    if (typeof body.status === "string") setStatus(id, body.status);
    return store.orderView(store.orders.get(id)!);
  });
  route("GET", "orders/:id/refunds", ({ params, url }, response) => {
    const order = store.orders.get(Number(params[0]));
    if (!order) throw notFound("shop_order");
    return paginate(order.refunds, url, response).map((r) => store.refundView(r));
  });
  route("POST", "orders/:id/refunds", ({ params, body }, response) => {
    const id = Number(params[0]);
    const amount = typeof body.amount === "string" ? body.amount : "";
    if (!/^\d+(\.\d{1,2})?$/.test(amount)) throw new RestError(400, "woocommerce_rest_cannot_create_order_refund", "Refund amount must be greater than zero.");
    const refundId = refund(id, Math.round(Number(amount) * 100), String(body.reason ?? ""));
    response.statusCode = 201;
    return store.refundView(store.orders.get(id)!.refunds.find((r) => r.id === refundId)!);
  });

  // Coupons
  route("GET", "coupons", ({ url }, response) => {
    let list = [...store.coupons.values()];
    const code = url.searchParams.get("code");
    if (code) list = list.filter((c) => c.code === code.trim().toLowerCase());
    list.sort((a, b) => b.id - a.id);
    return paginate(list, url, response).map((c) => store.couponView(c));
  });
  route("POST", "coupons", ({ body }, response) => {
    if (typeof body.code !== "string" || !body.code.trim()) throw new RestError(400, "rest_missing_callback_param", "Missing parameter(s): code", { code: "code is required" });
    if ([...store.coupons.values()].some((c) => c.code === String(body.code).trim().toLowerCase())) {
      throw new RestError(400, "woocommerce_rest_coupon_code_already_exists", "The coupon code already exists");
    }
    const coupon = couponFrom(body);
    store.coupons.set(coupon.id, coupon);
    deliveries.fire("coupon.created", coupon.id);
    response.statusCode = 201;
    return store.couponView(coupon);
  });
  route("GET", "coupons/:id", ({ params }) => {
    const coupon = store.coupons.get(Number(params[0]));
    if (!coupon) throw notFound("shop_coupon");
    return store.couponView(coupon);
  });
  route("PUT", "coupons/:id", ({ params, body }) => {
    const existing = store.coupons.get(Number(params[0]));
    if (!existing) throw notFound("shop_coupon");
    const coupon = couponFrom(body, existing);
    store.coupons.set(coupon.id, coupon);
    return store.couponView(coupon);
  });
  route("DELETE", "coupons/:id", ({ params, url }) => {
    const coupon = store.coupons.get(Number(params[0]));
    if (!coupon) throw notFound("shop_coupon");
    if (url.searchParams.get("force") !== "true") throw new RestError(501, "woocommerce_rest_trash_not_supported", "The coupon does not support trashing.");
    store.coupons.delete(coupon.id);
    return store.couponView(coupon);
  });

  // Webhooks
  route("GET", "webhooks", ({ url }, response) => {
    let list = [...store.webhooks.values()];
    const status = url.searchParams.get("status");
    if (status && status !== "all") list = list.filter((w) => w.status === status);
    list.sort((a, b) => a.id - b.id);
    return paginate(list, url, response).map((w) => store.webhookView(w));
  });
  route("POST", "webhooks", async ({ body }, response) => {
    const topic = String(body.topic ?? "");
    if (!WEBHOOK_TOPICS.includes(topic)) throw new RestError(400, "woocommerce_rest_webhook_invalid_topic", "Webhook topic is required and must be valid.");
    const deliveryUrl = String(body.delivery_url ?? "");
    if (!/^https?:\/\//.test(deliveryUrl)) throw new RestError(400, "woocommerce_rest_webhook_invalid_delivery_url", "Webhook delivery URL must be a valid URL starting with http:// or https://.");
    const status = (body.status ?? "active") as Webhook["status"];
    if (!["active", "paused", "disabled"].includes(status)) throw new RestError(400, "rest_invalid_param", "Invalid parameter(s): status");
    const now = store.tick();
    const webhook: Webhook = {
      id: store.id(),
      name: String(body.name ?? `Webhook created on ${now.toUTCString()}`),
      status,
      topic,
      delivery_url: deliveryUrl,
      secret: typeof body.secret === "string" && body.secret ? body.secret : deliveries.newSecret(),
      failure_count: 0,
      created: now,
      modified: now,
    };
    if (status === "active") {
      const ping = await deliveries.ping(webhook);
      if (!ping.ok) throw new RestError(400, "woocommerce_rest_webhook_delivery_failed", ping.message);
    }
    store.webhooks.set(webhook.id, webhook);
    response.statusCode = 201;
    return store.webhookView(webhook);
  });
  route("GET", "webhooks/:id", ({ params }) => {
    const webhook = store.webhooks.get(Number(params[0]));
    if (!webhook) throw new RestError(404, "woocommerce_rest_webhook_invalid_id", "Invalid ID.");
    return store.webhookView(webhook);
  });
  route("PUT", "webhooks/:id", ({ params, body }) => {
    const webhook = store.webhooks.get(Number(params[0]));
    if (!webhook) throw new RestError(404, "woocommerce_rest_webhook_invalid_id", "Invalid ID.");
    if (body.status !== undefined) {
      if (!["active", "paused", "disabled"].includes(String(body.status))) throw new RestError(400, "rest_invalid_param", "Invalid parameter(s): status");
      webhook.status = body.status as Webhook["status"];
      // Re-activating starts the failure count again (WC_Webhook::set_status).
      if (webhook.status === "active") webhook.failure_count = 0;
    }
    if (typeof body.delivery_url === "string") webhook.delivery_url = body.delivery_url;
    if (typeof body.secret === "string") webhook.secret = body.secret;
    webhook.modified = store.tick();
    return store.webhookView(webhook);
  });
  route("DELETE", "webhooks/:id", ({ params, url }) => {
    const webhook = store.webhooks.get(Number(params[0]));
    if (!webhook) throw new RestError(404, "woocommerce_rest_webhook_invalid_id", "Invalid ID.");
    if (url.searchParams.get("force") !== "true") throw new RestError(501, "woocommerce_rest_trash_not_supported", "Webhooks do not support trashing.");
    store.webhooks.delete(webhook.id);
    return store.webhookView(webhook);
  });

  async function readBody(request: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? "/", baseUrl);
    const method = (request.method ?? "GET").toUpperCase();
    const send = (status: number, body: unknown) => {
      response.statusCode = status;
      response.setHeader("Content-Type", "application/json; charset=UTF-8");
      response.end(JSON.stringify(body));
      requestLog.push({ method, path: url.pathname, status });
    };
    const error = (e: RestError) => send(e.status, { code: e.code, message: e.message, data: { status: e.status, ...(e.params ? { params: e.params } : {}) } });
    try {
      const raw = await readBody(request);
      if (!url.pathname.startsWith("/wp-json/")) return send(404, { code: "rest_no_route", message: "No route was found matching the URL and request method.", data: { status: 404 } });
      if (failures.count > 0) {
        failures.count--;
        return send(failures.status, { code: "internal_server_error", message: "There has been a critical error on this website.", data: { status: failures.status } });
      }
      const match = routes.map((r) => ({ r, m: r.method === method ? r.pattern.exec(url.pathname) : null })).find((x) => x.m);
      if (!match) throw new RestError(404, "rest_no_route", "No route was found matching the URL and request method.");
      const authResult = auth.authenticate(request, url, secure);
      const write = method !== "GET";
      if (!authResult) {
        throw new RestError(401, write ? "woocommerce_rest_cannot_create" : "woocommerce_rest_cannot_view", write ? "Sorry, you are not allowed to create resources." : "Sorry, you cannot list resources.");
      }
      if (!authResult.ok) throw new RestError(authResult.status, authResult.code, authResult.message);
      const permission = authResult.key.permissions;
      if (write && permission === "read") throw new RestError(401, "woocommerce_rest_authentication_error", "The API key provided does not have write permissions.");
      if (!write && permission === "write") throw new RestError(401, "woocommerce_rest_authentication_error", "The API key provided does not have read permissions.");
      let body: Record<string, unknown> = {};
      if (raw) {
        try {
          body = JSON.parse(raw) as Record<string, unknown>;
        } catch {
          throw new RestError(400, "rest_invalid_json", "Invalid JSON body passed.");
        }
      }
      const result = await match.r.handler({ method, params: match.m!.slice(1), url, body, write }, response);
      send(response.statusCode === 201 ? 201 : 200, result);
    } catch (e) {
      if (e instanceof RestError) return error(e);
      send(500, { code: "internal_server_error", message: String(e), data: { status: 500 } });
    }
  }

  const server: Server = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, (q, s) => void handle(q, s))
    : createHttpServer((q, s) => void handle(q, s));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `${secure ? "https" : "http"}://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const run = <T>(work: () => T): T => {
    try {
      return work();
    } catch (e) {
      if (e instanceof RestError) throw new Error(`${e.code}: ${e.message}`);
      throw e;
    }
  };

  return {
    url: baseUrl,
    store,
    deliveries,
    requestLog,
    failNextRequests(count, status = 500) {
      failures = { count, status };
    },
    addCustomer: (input) => run(() => addCustomer(input)),
    placeOrder: (input) => run(() => placeOrder(input)),
    setStatus: (id, status) => run(() => setStatus(id, status)),
    refund: (id, amount, reason) => run(() => refund(id, amount, reason)),
    resend(topic, resourceId) {
      deliveries.fire(topic, resourceId);
    },
    settle: () => deliveries.settle(),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

export { money };
