import { execFileSync, spawnSync } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, TEST_API_KEY, TEST_API_SECRET, type RunningApp } from "../support/app-server";
import { freshDatabaseFile } from "../support/database-file";
import { freePort, TEST_ENCRYPTION_KEY } from "../support/woo";
import { createWooEmulator, DEFAULT_KEY, type WooEmulator } from "../emulators/woocommerce";
import { testTempDir } from "../support/temp";

/**
 * The embedded admin's WooCommerce page (app/routes/app.woocommerce.tsx) over HTTP with real
 * Shopify session tokens: it lists the merchant's connected stores, connects one against the
 * emulator, shows translated errors, and disconnects. Screenshots in en, pl and cs with Debian's
 * Chromium (tests/integration/__screenshots__/woo-admin-<locale>.png).
 */
const databaseFile = freshDatabaseFile();
process.env.DATABASE_URL = `file:${databaseFile}`;
const { createDatabaseClient } = await import("../../app/db.server");
const db = createDatabaseClient(`file:${databaseFile}`);

const SHOP = "tierwise-woo-admin.myshopify.com";
const SCOPES = "read_orders,read_customers,write_customers,write_discounts";
const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const SHOTS = path.resolve(import.meta.dirname, "__screenshots__");

function sessionToken(shop: string) {
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const body = `${encode({ alg: "HS256", typ: "JWT" })}.${encode({ iss: `https://${shop}/admin`, dest: `https://${shop}`, aud: TEST_API_KEY, sub: "42", exp: now + 300, nbf: now - 5, iat: now - 5, jti: randomUUID(), sid: randomUUID() })}`;
  return `${body}.${createHmac("sha256", TEST_API_SECRET).update(body).digest("base64url")}`;
}
const documentUrl = (locale: string) =>
  `${app.url}/app/woocommerce?${new URLSearchParams({ embedded: "1", shop: SHOP, host: Buffer.from(`admin.shopify.com/store/${SHOP.split(".")[0]}`).toString("base64url"), id_token: sessionToken(SHOP), locale })}`;

let app: RunningApp;
let emulator: WooEmulator;

beforeAll(async () => {
  emulator = await createWooEmulator();
  await db.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: "shpat_test", scope: SCOPES } });
  const port = await freePort();
  app = await startApp(`file:${databaseFile}`, {
    PORT: String(port),
    TIERWISE_PUBLIC_URL: `http://127.0.0.1:${port}`,
    TIERWISE_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    TIERWISE_WOO_ALLOW_LOOPBACK: "1",
    SCOPES,
  });
});
afterAll(async () => {
  await app?.stop();
  await emulator?.stop();
  await db.$disconnect();
});

/** A form post as the embedded admin makes it; the answer is the page with the result banner. */
async function submit(locale: string, fields: Record<string, string>, retry = true): Promise<{ status: number; html: string }> {
  const response = await fetch(`${app.url}/app/woocommerce?locale=${locale}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${sessionToken(SHOP)}`, "User-Agent": BROWSER_UA, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
    redirect: "manual",
  }).catch((error: unknown) => {
    // A kept-alive socket the server closed while Chromium ran: a fresh connection is fine.
    if (retry && (error as { cause?: { code?: string } }).cause?.code === "UND_ERR_SOCKET") return null;
    throw error;
  });
  if (!response) return submit(locale, fields, false);
  return { status: response.status, html: await response.text() };
}

function screenshot(url: string, file: string) {
  const profile = testTempDir("chromium-");
  mkdirSync(SHOTS, { recursive: true });
  execFileSync(
    "/usr/bin/chromium",
    [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", `--user-data-dir=${profile}`, `--user-agent=${BROWSER_UA}`,
      // No internet here: App Bridge's CDN script fails at once instead of timing out.
      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
      "--window-size=1280,900", "--virtual-time-budget=5000", `--screenshot=${file}`, url,
    ],
    { stdio: "pipe", timeout: 60_000 },
  );
}

describe("the WooCommerce admin page", () => {
  it("connects a store, refuses bad keys with a translated error, and disconnects", async () => {
    const page = await fetch(documentUrl("en"), { headers: { "User-Agent": BROWSER_UA } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Connect store");
    expect(html).toContain("No WooCommerce store is connected yet.");

    const bad = await submit("pl", { intent: "connect", storeUrl: emulator.url, consumerKey: DEFAULT_KEY.consumerKey, consumerSecret: `cs_${"9".repeat(40)}` });
    expect(bad.html).toContain("Sklep odrzucił te klucze");
    const plain = await submit("cs", { intent: "connect", storeUrl: "http://shop.example.com", consumerKey: DEFAULT_KEY.consumerKey, consumerSecret: DEFAULT_KEY.consumerSecret });
    expect(plain.html).toContain("Obchod musí používat HTTPS");
    expect(await db.wooConnection.count()).toBe(0);

    const ok = await submit("en", { intent: "connect", storeUrl: emulator.url, consumerKey: DEFAULT_KEY.consumerKey, consumerSecret: DEFAULT_KEY.consumerSecret, earnStatus: "completed" });
    expect(ok.html).toContain("enter the app URL");
    const made = await db.wooConnection.findFirstOrThrow();
    expect(ok.html).toContain(made.id);
    const connection = await db.wooConnection.findFirstOrThrow();
    expect(connection).toMatchObject({ ownerShopDomain: SHOP, earnStatus: "completed", status: "CONNECTED" });
    expect(emulator.store.webhooks.size).toBe(6);
    const listed = await (await fetch(documentUrl("pl"), { headers: { "User-Agent": BROWSER_UA } })).text();
    expect(listed).toContain(emulator.url);
    expect(listed).toContain("Rozłącz");
  });

  it.skipIf(!existsSync("/usr/bin/chromium") || spawnSync("/usr/bin/chromium", ["--version"]).status !== 0)("renders in en, pl and cs in Chromium", () => {
    for (const locale of ["en", "pl", "cs"]) {
      const file = path.join(SHOTS, `woo-admin-${locale}.png`);
      screenshot(documentUrl(locale), file);
      expect(statSync(file).size).toBeGreaterThan(10_000);
    }
  });

  it("disconnects only the merchant's own store", async () => {
    const connection = await db.wooConnection.findFirstOrThrow();
    const other = await submit("en", { intent: "disconnect", connectionId: "someone-elses" });
    expect(other.html).toContain("This connection does not exist.");
    const done = await submit("en", { intent: "disconnect", connectionId: connection.id });
    expect(done.html).toContain("Its webhooks were removed.");
    expect(emulator.store.webhooks.size).toBe(0);
  });
});
