import { randomUUID } from "node:crypto";
import { bulkFile, seedOrder, type NewOrder } from "./resolvers-bulk";
import type { IncomingMessage, ServerResponse } from "node:http";
import { runGraphql, type GraphqlRequest } from "./graphql-endpoint";
import type { Emulator } from "./emulator";
import type { FaultRequest } from "./faults";
import type { ShopState } from "./state";

/**
 * The HTTP face of the emulator: Shopify's GraphQL endpoint and the `/__emulator/*` control API
 * (for a demo store or test in another process). Documented behaviour reproduced here:
 * - `POST /admin/api/{version}/graphql.json`, JSON `{query, variables, operationName}` or a raw
 *   `application/graphql` body.
 * - The shop is the `X-Forwarded-Host` header (set by our fetch redirect), else `Host`; a request
 *   to the loopback address without either is for the first configured shop.
 * - A missing or wrong `X-Shopify-Access-Token` is HTTP 401 with Shopify's body.
 * - API versions: a supported one is served; a retired one falls forward to the oldest supported
 *   (the served version is in `X-Shopify-API-Version`); unknown or unreleased ones are 404.
 */

export const UNAUTHORIZED_BODY = { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" };
const NOT_FOUND_BODY = { errors: "Not Found" };
const GRAPHQL_PATH = /^\/admin\/api\/([^/]+)\/graphql\.json$/;
const VERSION = /^\d{4}-(01|04|07|10)$/;

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    "X-Request-Id": randomUUID(),
    ...headers,
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** The version actually served for a requested one, or null when Shopify would answer 404. */
export function servedVersion(requested: string, supported: readonly string[]): string | null {
  if (requested === "unstable" || supported.includes(requested)) return requested;
  if (!VERSION.test(requested)) return null;
  const sorted = [...supported].sort();
  // Versions before the oldest supported one fall forward to it; later ones are not released yet.
  return requested < sorted[0] ? sorted[0] : null;
}

function shopFor(emulator: Emulator, req: IncomingMessage): ShopState | null {
  const forwarded = req.headers["x-forwarded-host"];
  const host = (Array.isArray(forwarded) ? forwarded[0] : forwarded) ?? req.headers.host ?? "";
  const domain = host.replace(/:\d+$/, "").toLowerCase();
  const shop = emulator.shops.get(domain);
  if (shop) return shop;
  const loopback = domain === "127.0.0.1" || domain === "localhost" || domain === "[::1]";
  return loopback ? (emulator.shops.values().next().value ?? null) : null;
}

export async function handleRequest(emulator: Emulator, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://emulator.invalid");
  if (url.pathname.startsWith("/__emulator/")) return handleControl(emulator, req, res, url);

  const match = GRAPHQL_PATH.exec(url.pathname);
  const shop = shopFor(emulator, req);
  if (!match || !shop) return send(res, 404, NOT_FOUND_BODY);
  const version = servedVersion(match[1], emulator.apiVersions);
  if (!version) return send(res, 404, NOT_FOUND_BODY);
  if (req.method !== "POST") return send(res, 405, { errors: "Method Not Allowed" });

  const raw = await readBody(req);
  const record = emulator.log({ shop: shop.config.domain, apiVersion: version, raw });

  const fault = emulator.faults.take();
  if (fault?.kind === "delay") await new Promise((resolve) => setTimeout(resolve, fault.ms));
  if (fault?.kind === "status") {
    const headers: Record<string, string> = fault.retryAfter != null ? { "Retry-After": String(fault.retryAfter) } : {};
    record.status = fault.status;
    record.fault = `status ${fault.status}`;
    return send(res, fault.status, fault.body ?? { errors: statusText(fault.status) }, headers);
  }

  const token = req.headers["x-shopify-access-token"];
  if (token !== shop.config.accessToken) {
    record.status = 401;
    return send(res, 401, UNAUTHORIZED_BODY);
  }

  let request: GraphqlRequest;
  const contentType = String(req.headers["content-type"] ?? "");
  try {
    request = contentType.includes("application/graphql") ? { query: raw } : (JSON.parse(raw) as GraphqlRequest);
  } catch {
    record.status = 400;
    return send(res, 400, { errors: { query: "Required parameter missing or invalid" } });
  }
  record.operationName = typeof request.operationName === "string" ? request.operationName : undefined;
  record.variables = request.variables;
  record.query = typeof request.query === "string" ? request.query : undefined;

  const bucket = emulator.bucketFor(shop, token);
  const forceThrottle = fault?.kind === "throttle";
  const body = await runGraphql(
    { schema: emulator.schema, shop, ids: emulator.ids, bucket: emulator.bucketFor(shop, token), now: emulator.clock(), forceThrottle },
    request,
  );
  record.status = 200;
  record.response = body;
  if (forceThrottle) record.fault = "throttle";
  send(res, 200, body, { "X-Shopify-API-Version": version });
}

function statusText(status: number): string {
  return (
    { 429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout" }[status] ??
    "Error"
  );
}

async function handleControl(emulator: Emulator, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const raw = req.method === "GET" || req.method === "DELETE" ? "" : await readBody(req);
  let body: Record<string, any> = {};
  try {
    body = raw ? JSON.parse(raw) : {};
  } catch {
    return send(res, 400, { errors: "Body must be JSON" });
  }
  const domain = (body.shop as string | undefined) ?? url.searchParams.get("shop") ?? undefined;
  const route = `${req.method} ${url.pathname}`;
  try {
    switch (route) {
      case "GET /__emulator/state":
        return send(res, 200, emulator.snapshot(domain));
      case "GET /__emulator/requests":
        return send(res, 200, emulator.requests);
      case "POST /__emulator/reset":
        emulator.reset();
        return send(res, 200, { ok: true });
      case "POST /__emulator/faults":
        for (const fault of (Array.isArray(body) ? body : [body]) as FaultRequest[]) emulator.faults.add(fault);
        return send(res, 200, { pending: emulator.faults.pending() });
      case "DELETE /__emulator/faults":
        emulator.faults.clear();
        return send(res, 200, { pending: [] });
      case "POST /__emulator/customers":
        return send(res, 201, emulator.addCustomer(body, domain));
      case "POST /__emulator/products":
        return send(res, 201, emulator.addProduct({ title: body.title, variants: body.variants }, domain));
      case "POST /__emulator/segments":
        return send(res, 201, emulator.addSegment({ name: body.name, query: body.query ?? "" }, domain));
      case "POST /__emulator/codes/use":
        return emulator.useCode(String(body.code), domain) ? send(res, 200, { ok: true }) : send(res, 404, NOT_FOUND_BODY);
      case "POST /__emulator/orders":
        return send(res, 201, seedOrder(emulator.shop(domain), emulator.ids, emulator.clock(), body as NewOrder));
      case "GET /__emulator/bulk": {
        const file = bulkFile(emulator.shop(domain), url.searchParams.get("id") ?? "");
        if (file === null) return send(res, 404, NOT_FOUND_BODY);
        res.writeHead(200, { "Content-Type": "application/jsonl" });
        return void res.end(file);
      }
      case "PUT /__emulator/bucket":
        emulator.bucketFor(emulator.shop(domain)).set(Number(body.currentlyAvailable));
        return send(res, 200, emulator.bucketFor(emulator.shop(domain)).status());
      default:
        return send(res, 404, NOT_FOUND_BODY);
    }
  } catch (error) {
    return send(res, 400, { errors: error instanceof Error ? error.message : String(error) });
  }
}
