import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startApp, type RunningApp } from "../support/app-server";
import { freshDatabaseFile } from "../support/database-file";
import { hasPhp, phpRelayAsync, PLUGIN_DIR } from "../support/php";
import { freePort, TEST_ENCRYPTION_KEY } from "../support/woo";
import { createWooEmulator, DEFAULT_KEY, type WooEmulator } from "../emulators/woocommerce";
import { launchChromium } from "../e2e/support/browser";

/**
 * The storefront on WordPress, end to end in Chromium: a page with the plugin's own widget markup
 * (rendered by the plugin's PHP), the shared widget script and styles the plugin ships, and the
 * plugin's REST route answered by its real relay (PHP), which signs the customer and calls the
 * running app. The emulated WooCommerce store receives the coupon.
 * Screenshots: tests/integration/__screenshots__/woo-storefront-<view>.png.
 */
const databaseFile = freshDatabaseFile();
const SHOTS = path.resolve(import.meta.dirname, "__screenshots__");
const runnable = hasPhp && existsSync("/usr/bin/chromium") && existsSync(path.join(PLUGIN_DIR, "assets/tierwise-widget.js"));

let app: RunningApp;
let emulator: WooEmulator;
let site: Server;
let siteUrl: string;
let browser: Browser;
let connection: { connectionId: string; pluginSecret: string };
let wanda: number;

/** A WordPress site as far as the widget can tell: the page, the plugin's assets and its REST route. */
function wordpressSite() {
  return createServer((request, response) => {
    const url = new URL(request.url ?? "/", siteUrl);
    const cookies = Object.fromEntries((request.headers.cookie ?? "").split(/;\s*/).filter(Boolean).map((c) => c.split("=") as [string, string]));
    const user = Number(cookies.wp_user ?? 0);
    const locale = cookies.wp_locale ?? "en_US";
    if (url.pathname === "/shop") {
      const pageUser = url.searchParams.get("user") ?? "0";
      const pageLocale = url.searchParams.get("locale") ?? "en_US";
      const markup = execFileSync("php", [path.resolve(import.meta.dirname, "../support/wordpress/render.php"), PLUGIN_DIR, siteUrl, pageUser, pageLocale, url.searchParams.get("mode") ?? "block"], { encoding: "utf8" });
      response.setHeader("Set-Cookie", [`wp_user=${pageUser}; Path=/`, `wp_locale=${pageLocale}; Path=/`]);
      response.setHeader("Content-Type", "text/html; charset=utf-8");
      response.end(
        `<!doctype html><html lang="${pageLocale.slice(0, 2)}"><head><meta charset="utf-8"><title>Shop</title>` +
          `<link rel="stylesheet" href="/wp-content/plugins/tierwise/assets/tierwise-widget.css"></head>` +
          `<body style="font-family:sans-serif;margin:0;background:#fafafa"><main style="max-width:860px;margin:32px auto"><h1>My account</h1>${markup}</main>` +
          `<script src="/wp-content/plugins/tierwise/assets/tierwise-widget.js" defer></script></body></html>`,
      );
      return;
    }
    const asset = /^\/wp-content\/plugins\/tierwise\/assets\/(tierwise-widget\.(js|css))$/.exec(url.pathname);
    if (asset) {
      response.setHeader("Content-Type", asset[2] === "js" ? "text/javascript" : "text/css");
      response.end(readFileSync(path.join(PLUGIN_DIR, "assets", asset[1])));
      return;
    }
    const rest = /^\/wp-json\/tierwise\/v1\/(status|redeem)$/.exec(url.pathname);
    if (rest) {
      const chunks: Buffer[] = [];
      request.on("data", (c: Buffer) => chunks.push(c));
      request.on("end", async () => {
        const answer = await phpRelayAsync({ appUrl: app.url, connectionId: connection.connectionId, secret: connection.pluginSecret, userId: user, locale, action: rest[1] as "status" | "redeem", body: Buffer.concat(chunks).toString("utf8") });
        response.statusCode = answer.status;
        response.setHeader("Content-Type", "application/json");
        response.end(JSON.stringify(answer.data));
      });
      return;
    }
    response.statusCode = 404;
    response.end();
  });
}

beforeAll(async () => {
  if (!runnable) return;
  emulator = await createWooEmulator();
  const port = await freePort();
  app = await startApp(`file:${databaseFile}`, { PORT: String(port), TIERWISE_PUBLIC_URL: `http://127.0.0.1:${port}`, TIERWISE_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, TIERWISE_WOO_ALLOW_LOOPBACK: "1" });
  const connected = await fetch(`${app.url}/woo/connect`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ storeUrl: emulator.url, consumerKey: DEFAULT_KEY.consumerKey, consumerSecret: DEFAULT_KEY.consumerSecret }) });
  connection = await connected.json();
  wanda = emulator.addCustomer({ email: "wanda@example.com", first_name: "Wanda" });
  emulator.placeOrder({ customerId: wanda, lines: [{ productId: 5, quantity: 2, unitMinor: 30000 }], status: "processing" });
  await emulator.settle();
  site = wordpressSite();
  await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (site ? site.close(resolve) : resolve(null)));
  await app?.stop();
  await emulator?.stop();
});

describe.skipIf(!runnable)("the widget on a WordPress page", () => {
  it("shows the customer's points in Polish and redeems a reward into a WooCommerce coupon", async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${siteUrl}/shop?user=${wanda}&locale=pl_PL`);
    const block = page.locator(".tw-block");
    await block.locator(".tw-balance").waitFor();
    // 100 welcome + 600.00 spent.
    expect(await block.locator(".tw-balance").innerText()).toBe("700 punktów");
    await page.screenshot({ path: path.join(SHOTS, "woo-storefront-member-pl.png"), fullPage: true });

    const row = block.locator(".tw-rewards li", { hasText: "5 off" });
    await row.getByRole("button").click();
    await block.locator(".tw-code code").waitFor();
    const code = await block.locator(".tw-code code").innerText();
    const coupon = [...emulator.store.coupons.values()].find((c) => c.code === code.toLowerCase());
    expect(coupon).toMatchObject({ discount_type: "fixed_cart", amount: "5.00", usage_limit: 1, usage_limit_per_user: 1, email_restrictions: ["wanda@example.com"] });
    await block.locator(".tw-balance", { hasText: "200" }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, "woo-storefront-redeemed-pl.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows a visitor the program in Czech", async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    await page.goto(`${siteUrl}/shop?user=0&locale=cs_CZ`);
    await page.getByRole("heading", { name: "Co za body získáte" }).waitFor();
    expect(await page.locator(".tw-balance").count()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, "woo-storefront-guest-cs.png"), fullPage: true });
    await page.close();
  });
});
