// A local storefront for the theme app extension: the page rendered by render.ts, the extension's
// assets, a stand-in for signing in and out, and /apps/tierwise/* forwarded to the app the way
// Shopify's app proxy does it (signed query with shop, logged_in_customer_id, path_prefix,
// timestamp). Used by the browser tests and the demo.
//
//   npx tsx scripts/storefront/server.ts --app-url http://127.0.0.1:3000 --shop tierwise-demo.myshopify.com \
//     --secret tierwise-demo-secret [--customer 7001] [--locale pl] [--port 4000]
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";
import { signedAppProxyQuery } from "./app-proxy";
import { ASSET_PREFIX, EXTENSION_DIR, LOCALES, renderPage, type PageOptions, type StorefrontCustomer, type StorefrontLocale } from "./render";

export interface StorefrontOptions {
  /** The app's base URL; the proxy forwards /apps/tierwise/<x> to <appUrl>/proxy/<x>. */
  appUrl: string;
  shop: string;
  /** The app's API secret, which signs proxied requests. */
  secret: string;
  /** Signed in when the page opens (until /account/logout); null for a visitor. */
  customer?: StorefrontCustomer | null;
  /** Names of customers for the header; /account/login?customer=<id> signs in as any numeric id. */
  customers?: StorefrontCustomer[];
  /** The locale of "/"; "/pl/..." and "/cs/..." pick theirs, as Shopify's locale paths do. */
  locale?: StorefrontLocale;
  block?: PageOptions["block"];
  embed?: PageOptions["embed"];
  port?: number;
  host?: string;
  /**
   * Demo only: POST /demo/order (form field amount, in dollars) calls this for the signed-in
   * customer, which sends a real signed orders/paid webhook to the app; returns a line to show.
   */
  placeOrder?: (customerId: string, amountCents: number) => Promise<string>;
}

export interface RunningStorefront {
  url: string;
  /** Every request the proxy forwarded, for tests that check what reached the app. */
  forwarded: { method: string; path: string; query: URLSearchParams }[];
  stop: () => Promise<void>;
}

const SIGNED_OUT = "-";

function cookie(request: IncomingMessage, name: string): string | null {
  for (const part of (request.headers.cookie ?? "").split(/;\s*/)) {
    const [key, ...value] = part.split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return null;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startStorefront(options: StorefrontOptions): Promise<RunningStorefront> {
  const forwarded: RunningStorefront["forwarded"] = [];
  const known = new Map((options.customers ?? []).concat(options.customer ? [options.customer] : []).map((c) => [c.id, c]));

  const signedIn = (request: IncomingMessage): StorefrontCustomer | null => {
    const chosen = cookie(request, "tw_customer");
    if (chosen === SIGNED_OUT) return null;
    if (chosen && /^\d{1,20}$/.test(chosen)) return known.get(chosen) ?? { id: chosen };
    return options.customer ?? null;
  };

  async function proxy(request: IncomingMessage, response: ServerResponse, url: URL) {
    const rest = url.pathname.slice("/apps/tierwise".length) || "/";
    const customer = signedIn(request);
    const query = signedAppProxyQuery(url.searchParams, { shop: options.shop, loggedInCustomerId: customer?.id ?? null }, options.secret);
    forwarded.push({ method: request.method ?? "GET", path: rest, query });
    const body = request.method === "POST" ? new Uint8Array(await readBody(request)) : undefined;
    const upstream = await fetch(`${options.appUrl.replace(/\/$/, "")}/proxy${rest}?${query}`, {
      method: request.method,
      headers: { "Content-Type": request.headers["content-type"] ?? "application/json", Accept: request.headers.accept ?? "*/*", "Accept-Language": request.headers["accept-language"] ?? "" },
      body,
    });
    const headers: Record<string, string> = { "Content-Type": upstream.headers.get("content-type") ?? "application/json" };
    for (const name of ["cache-control", "vary"]) {
      const value = upstream.headers.get(name);
      if (value) headers[name] = value;
    }
    response.writeHead(upstream.status, headers).end(Buffer.from(await upstream.arrayBuffer()));
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? "/", "http://storefront.local");
    const [, first] = url.pathname.split("/");
    const locale: StorefrontLocale = (LOCALES as readonly string[]).includes(first) ? (first as StorefrontLocale) : (options.locale ?? "en");
    const pathname = (LOCALES as readonly string[]).includes(first) ? url.pathname.slice(first.length + 1) || "/" : url.pathname;

    if (pathname.startsWith("/apps/tierwise")) return proxy(request, response, new URL(pathname + url.search, url));
    if (pathname.startsWith(ASSET_PREFIX)) {
      const file = path.basename(pathname);
      try {
        const content = await readFile(path.join(EXTENSION_DIR, "assets", file));
        const type = file.endsWith(".js") ? "text/javascript" : file.endsWith(".css") ? "text/css" : "application/octet-stream";
        return response.writeHead(200, { "Content-Type": `${type}; charset=utf-8`, "Cache-Control": "no-cache" }).end(content);
      } catch {
        return response.writeHead(404).end("not found");
      }
    }
    const home = locale === (options.locale ?? "en") && !(LOCALES as readonly string[]).includes(first) ? "/" : `/${locale}`;
    if (pathname === "/account/login") {
      const id = url.searchParams.get("customer");
      if (id && /^\d{1,20}$/.test(id)) {
        return response.writeHead(302, { Location: home, "Set-Cookie": `tw_customer=${encodeURIComponent(id)}; Path=/; SameSite=Lax` }).end();
      }
      const links = [...known.values()].map((c) => `<li><a href="?customer=${c.id}">${c.firstName ?? c.id}</a></li>`).join("");
      return response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(`<!doctype html><h1>Sign in</h1><ul>${links}</ul>`);
    }
    if (pathname === "/account/logout") {
      return response.writeHead(302, { Location: home, "Set-Cookie": `tw_customer=${SIGNED_OUT}; Path=/; SameSite=Lax` }).end();
    }
    if (pathname === "/account/register") {
      return response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end("<!doctype html><h1>Create account</h1>");
    }
    if (pathname === "/demo/order" && request.method === "POST" && options.placeOrder) {
      const customer = signedIn(request);
      const amount = Number(new URLSearchParams((await readBody(request)).toString("utf8")).get("amount"));
      if (!customer || !Number.isFinite(amount) || amount <= 0 || amount > 10_000) {
        return response.writeHead(400, { "Content-Type": "text/plain; charset=utf-8" }).end("Sign in and give an amount between 0.01 and 10000.");
      }
      const notice = await options.placeOrder(customer.id, Math.round(amount * 100));
      return response.writeHead(303, { Location: home, "Set-Cookie": `tw_notice=${encodeURIComponent(notice)}; Path=/; Max-Age=10; SameSite=Lax` }).end();
    }
    if (pathname !== "/") return response.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
    const demoOrder = options.placeOrder ? { action: `${home === "/" ? "" : home}/demo/order`, notice: cookie(request, "tw_notice") } : undefined;
    const html = await renderPage({ shop: options.shop, customer: signedIn(request), locale, block: options.block, embed: options.embed, demoOrder });
    const headers: Record<string, string> = { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" };
    if (demoOrder?.notice) headers["Set-Cookie"] = "tw_notice=; Path=/; Max-Age=0";
    response.writeHead(200, headers).end(html);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: Error) => {
      if (!response.headersSent) response.writeHead(502, { "Content-Type": "text/plain" });
      response.end(`storefront error: ${error.message}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    forwarded,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const { values } = parseArgs({
    options: {
      "app-url": { type: "string" },
      shop: { type: "string" },
      secret: { type: "string" },
      customer: { type: "string" },
      locale: { type: "string", default: "en" },
      port: { type: "string", default: "4000" },
      host: { type: "string", default: "127.0.0.1" },
    },
  });
  if (!values["app-url"] || !values.shop || !values.secret || !(LOCALES as readonly string[]).includes(values.locale!)) {
    console.error("usage: server.ts --app-url URL --shop DOMAIN --secret SECRET [--customer ID] [--locale en|pl|cs] [--port N]");
    process.exit(1);
  }
  const storefront = await startStorefront({
    appUrl: values["app-url"],
    shop: values.shop,
    secret: values.secret,
    customer: values.customer ? { id: values.customer } : null,
    locale: values.locale as StorefrontLocale,
    port: Number(values.port),
    host: values.host,
  });
  console.log(`storefront listening on ${storefront.url} (shop ${values.shop}, app ${values["app-url"]})`);
}
