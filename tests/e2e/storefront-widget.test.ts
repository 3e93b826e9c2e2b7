import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStorefront, type RunningStorefront } from "../../scripts/storefront/server";
import { startApp, TEST_API_SECRET, type RunningApp } from "../support/app-server";
import { appTestEnvironment } from "../support/database-file";
import { createShopifyAdminEmulator, DEFAULT_SHOP, type ShopifyAdminEmulator } from "../emulators/shopify-admin";
import { launchChromium, SCREENSHOTS } from "./support/browser";

/**
 * The theme extension's Liquid rendered into a storefront page (scripts/storefront), its app proxy
 * routed to the production server, which creates real (emulated) Shopify discount codes; driven by
 * Debian's Chromium. Screenshots go to tests/e2e/__screenshots__/latest.
 */
const shop = DEFAULT_SHOP.domain;
const { databaseUrl } = appTestEnvironment();

const { default: db } = await import("../../app/db.server");
const { installShop } = await import("../../app/loyalty/program.server");
const { processEvent } = await import("../../app/loyalty/events.server");
const { customer, line, order } = await import("../support/facts");

const preload = path.resolve(import.meta.dirname, "../emulators/shopify-admin/redirect-preload.mjs");
let emulator: ShopifyAdminEmulator;
let app: RunningApp;
let storefront: RunningStorefront;
let browser: Browser;
let ada: string;
let custom: RunningStorefront;
const spendShop = "spend-e2e.myshopify.com";
const linus = "8123";
const contexts: BrowserContext[] = [];
const expiresAt = new Date(Date.now() + 12 * 86_400_000);

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  emulator = await createShopifyAdminEmulator();
  await installShop(db, shop);
  await db.session.create({
    data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: DEFAULT_SHOP.accessToken, scope: "write_discounts" },
  });
  ada = emulator.addCustomer({ firstName: "Ada", email: "ada@example.com" }).id.split("/").pop()!;
  // 100 welcome points and 780 for an order: Silver, 120 points from Gold.
  await processEvent(db, { shopDomain: shop, dedupeKey: "o1", topic: "t" }, { type: "order", order: order("o1", customer(ada), [line("l", 78_000)]) });
  const gold = await db.tier.findFirstOrThrow({ where: { shop: { domain: shop }, name: "Gold" } });
  await db.tier.update({ where: { id: gold.id }, data: { perks: JSON.stringify(["Free express shipping", "Early access to sales"]) } });
  // Nothing writes point expiry dates yet (the expiry job is a later issue): date the welcome points.
  await db.ledgerEntry.updateMany({ where: { member: { platformCustomerId: ada }, kind: "WELCOME" }, data: { expiresAt } });

  app = await startApp(databaseUrl, { SHOPIFY_ADMIN_EMULATOR_URL: emulator.url }, ["--import", preload]);
  storefront = await startStorefront({ appUrl: app.url, shop, secret: TEST_API_SECRET, customer: null, customers: [{ id: ada, firstName: "Ada" }] });
  // A second shop whose tiers qualify on spend, on a storefront where the merchant changed the
  // theme-editor settings.
  await installShop(db, spendShop);
  const spendShopRow = await db.shop.findUniqueOrThrow({ where: { domain: spendShop } });
  await db.program.update({ where: { shopId: spendShopRow.id }, data: { tierBasis: "SPEND" } });
  await db.tier.updateMany({ where: { shopId: spendShopRow.id, name: "Gold" }, data: { threshold: 150_000 } });
  await processEvent(db, { shopDomain: spendShop, dedupeKey: "s1", topic: "t" }, {
    type: "order",
    order: order("s1", customer(linus, { firstName: "Linus" }), [line("l", 80_000)]),
  });
  custom = await startStorefront({
    appUrl: app.url,
    shop: spendShop,
    secret: TEST_API_SECRET,
    customer: { id: linus, firstName: "Linus" },
    block: { accent_color: "#7b2cbf", title: "Birch Club", show_perks: false },
    embed: { position: "left", launcher_label: "Club", accent_color: "#7b2cbf" },
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await storefront?.stop();
  await custom?.stop();
  await app?.stop();
  await emulator?.stop();
  await db.$disconnect();
});

async function open(pathname: string, options: { as?: string; width?: number; height?: number; on?: RunningStorefront } = {}): Promise<Page> {
  const site = options.on ?? storefront;
  const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: options.height ?? 900 }, deviceScaleFactor: 1 });
  contexts.push(context);
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: site.url });
  if (options.as) await context.addCookies([{ name: "tw_customer", value: options.as, url: site.url }]);
  const page = await context.newPage();
  // Layout shifts as Chromium reports them, and where the footer sat before the widget had data.
  await page.addInitScript(() => {
    const w = window as unknown as { shifts: number; footerTop: number };
    w.shifts = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
        if (!entry.hadRecentInput) w.shifts += entry.value;
      }
    }).observe({ type: "layout-shift", buffered: true });
    document.addEventListener("DOMContentLoaded", () => {
      w.footerTop = document.getElementById("site-footer")!.getBoundingClientRect().top + window.scrollY;
    });
  });
  await page.goto(`${site.url}${pathname}`);
  return page;
}

/** The whole page, and the block alone (the small crops are the ones kept in git for review). */
async function shot(page: Page, name: string, fullPage = true) {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage });
  if (fullPage) await block(page).screenshot({ path: path.join(SCREENSHOTS, `${name}.block.png`) });
}
const block = (page: Page) => page.locator(".tw-block");

describe("storefront widget in Chromium", () => {
  it("shows a visitor what the program offers and how to join, and nothing personal", async () => {
    const page = await open("/");
    await block(page).getByRole("heading", { name: "What your points buy" }).waitFor();
    const text = await block(page).innerText();
    expect(text).toContain("Join our rewards program and earn points on every order.");
    expect(text).toContain("Earn 1 point for every $1 spent");
    expect(text).toContain("100 points for creating an account");
    expect(text).toContain("Gold: from 1,000 points");
    expect(text).toContain("Free shipping · 300 points");
    expect(await block(page).getByRole("link", { name: "Join now" }).getAttribute("href")).toBe("/account/register");
    expect(await block(page).getByRole("link", { name: "Sign in" }).getAttribute("href")).toBe("/account/login");
    expect(await page.locator(".tw-balance").count()).toBe(0);
    const request = [...storefront.forwarded].reverse().find((f) => f.path === "/status")!;
    expect(request.query.get("logged_in_customer_id")).toBe("");
    await shot(page, "logged-out-en");
  });

  it("shows a member their balance, tier, distance to Gold with a progress bar, perks, rewards and expiring points, with no layout shift", async () => {
    const page = await open("/", { as: ada });
    await block(page).locator(".tw-balance").waitFor();
    expect(await block(page).locator(".tw-balance").innerText()).toBe("880 points");
    expect(await block(page).locator(".tw-badge").innerText()).toBe("Tier: Silver");
    // No colour set in the theme editor: the widget takes the theme's button colour.
    expect(await block(page).locator(".tw-badge").evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(47, 93, 80)");
    expect(await block(page).locator(".tw-away").innerText()).toBe("You're 120 points away from Gold");
    const bar = block(page).getByRole("progressbar", { name: "Progress to Gold" });
    expect(await bar.getAttribute("aria-valuemin")).toBe("500");
    expect(await bar.getAttribute("aria-valuemax")).toBe("1000");
    expect(await bar.getAttribute("aria-valuenow")).toBe("880");
    const text = await block(page).innerText();
    expect(text).toContain("Gold perks");
    expect(text).toContain("1.5× points on every order");
    expect(text).toContain("Free express shipping");
    expect(text).toContain(`Expiring on ${new Intl.DateTimeFormat("en", { dateStyle: "medium" }).format(expiresAt)}: 100 points`);
    const rewards = await block(page).locator(".tw-rewards li").allInnerTexts();
    expect(rewards.map((r) => r.split("\n")[0])).toEqual(["Points for money off", "Free shipping", "5 off"]);
    // Loaded with defer, into space reserved before the data came: nothing below moved.
    expect(await page.locator('script[src*="tierwise-widget.js"]').first().evaluate((s) => (s as HTMLScriptElement).defer)).toBe(true);
    const { shifts, footerTop, footerNow } = await page.evaluate(() => {
      const w = window as unknown as { shifts: number; footerTop: number };
      return { shifts: w.shifts, footerTop: w.footerTop, footerNow: document.getElementById("site-footer")!.getBoundingClientRect().top + window.scrollY };
    });
    expect(footerNow).toBe(footerTop);
    expect(shifts).toBe(0);
    await shot(page, "member-en");
  });

  it("speaks Polish and Czech, plural forms included", async () => {
    const pl = await open("/pl/", { as: ada });
    await block(pl).locator(".tw-balance").waitFor();
    expect(await block(pl).locator(".tw-balance").innerText()).toBe("880 punktów");
    expect(await block(pl).locator(".tw-away").innerText()).toBe("Do poziomu Gold brakuje jeszcze: 120 punktów");
    expect(await block(pl).innerText()).toContain("Nagrody do odebrania");
    await shot(pl, "member-pl");
    const cs = await open("/cs/", { as: ada });
    await block(cs).locator(".tw-balance").waitFor();
    expect(await block(cs).locator(".tw-balance").innerText()).toBe("880 bodů");
    expect(await block(cs).locator(".tw-away").innerText()).toBe("Do úrovně Gold vám chybí 120 bodů");
    expect(await block(cs).getByRole("button", { name: "Uplatnit" }).count()).toBe(3);
    await shot(cs, "member-cs");
  });

  it("works from the keyboard alone: Tab to the launcher, Enter opens, Escape closes and focus returns", async () => {
    const page = await open("/", { as: ada });
    await block(page).locator(".tw-balance").waitFor();
    let onLauncher = false;
    for (let i = 0; i < 60 && !onLauncher; i++) {
      await page.keyboard.press("Tab");
      onLauncher = await page.evaluate(() => document.activeElement?.classList.contains("tw-launch") ?? false);
    }
    expect(onLauncher).toBe(true);
    await page.keyboard.press("Enter");
    const panel = page.getByRole("dialog", { name: "Rewards" });
    await panel.locator(".tw-balance").waitFor();
    expect(await page.locator(".tw-launch").getAttribute("aria-expanded")).toBe("true");
    expect(await page.evaluate(() => document.activeElement?.closest(".tw-panel") !== null)).toBe(true);
    await shot(page, "embed-open-en", false);
    await page.keyboard.press("Escape");
    expect(await panel.isHidden()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.classList.contains("tw-launch"))).toBe(true);
    expect(await page.locator(".tw-launch").getAttribute("aria-expanded")).toBe("false");
  });

  it("fits a phone screen", async () => {
    const page = await open("/", { as: ada, width: 390, height: 844 });
    await block(page).locator(".tw-balance").waitFor();
    await page.locator(".tw-launch").click();
    await page.locator(".tw-panel .tw-balance").waitFor();
    const box = (await page.locator(".tw-panel").boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, "embed-open-mobile", false);
  });

  it("redeems once on a double click, shows the Shopify code with a copy button, and lowers the balance", async () => {
    const page = await open("/", { as: ada });
    await block(page).locator(".tw-balance").waitFor();
    const row = block(page).locator(".tw-rewards li", { hasText: "5 off" });
    await row.getByRole("button", { name: "Redeem" }).dblclick();
    const code = await block(page).locator(".tw-code code").innerText();
    expect(code).toMatch(/^TW-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(await block(page).locator(".tw-balance").innerText()).toBe("380 points");
    const redemptions = await db.redemption.findMany({ where: { member: { platformCustomerId: ada } } });
    expect(redemptions.map((r) => [r.code, r.status])).toEqual([[code, "ISSUED"]]);
    const discount = emulator.snapshot().discounts.find((d) => d.codes.includes(code));
    expect(discount?.context).toEqual({ kind: "customers", customerIds: [`gid://shopify/Customer/${ada}`] });
    // Focus moved to the copy button, so a keyboard user copies with Enter.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Copy");
    await page.keyboard.press("Enter");
    await block(page).getByRole("button", { name: "Copied" }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code);
    await shot(page, "after-redeem-en");
  });

  it("says the code is on its way when Shopify is failing, with the points spent once", async () => {
    const page = await open("/", { as: ada });
    const row = block(page).locator(".tw-rewards li", { hasText: "Free shipping" });
    await row.waitFor();
    // Every attempt of the app's issuer (five, with backoff) gets a 500: the redemption stays pending.
    emulator.faults.failNext(500, { count: 5 });
    await row.getByRole("button", { name: "Redeem" }).click();
    const note = block(page).getByRole("status").filter({ hasText: "being created" });
    await note.waitFor({ timeout: 30_000 });
    expect(await note.innerText()).toBe("Your code is being created. It will appear here in a moment.");
    expect(await block(page).locator(".tw-balance").innerText()).toBe("80 points");
    expect(await block(page).locator(".tw-rewards li", { hasText: "Free shipping" }).count()).toBe(0);
    const pending = await db.redemption.findMany({ where: { member: { platformCustomerId: ada }, status: "PENDING" } });
    expect(pending).toHaveLength(1);
  }, 60_000);

  it("follows the theme editor: colours, heading, hidden sections, launcher label and position; money to spend on spend tiers", async () => {
    const page = await open("/", { on: custom });
    await block(page).locator(".tw-balance").waitFor();
    expect(await block(page).getByRole("heading", { level: 2 }).innerText()).toBe("Birch Club");
    expect(await block(page).locator(".tw-away").innerText()).toBe("Spend $700 more to reach Gold");
    expect(await block(page).locator(".tw-badge").evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(123, 44, 191)");
    expect(await block(page).getByText("Gold perks").count()).toBe(0);
    const launcher = page.getByRole("button", { name: "Club" });
    expect((await launcher.boundingBox())!.x).toBeLessThan(60);
    await launcher.click();
    await page.locator(".tw-panel .tw-balance").waitFor();
    await shot(page, "settings-spend-en", false);
  });

  it("shows the app's translated refusal when the balance changed since the page loaded", async () => {
    const page = await open("/pl/", { on: custom });
    const row = block(page).locator(".tw-rewards li", { hasText: "5 off" });
    await row.waitFor();
    // Meanwhile, in another tab, the points went on another reward.
    const member = await db.member.findFirstOrThrow({ where: { shop: { domain: spendShop }, platformCustomerId: linus } });
    const tenPercent = await db.reward.findFirstOrThrow({ where: { shop: { domain: spendShop }, kind: "PERCENTAGE" } });
    const { redeem } = await import("../../app/loyalty/redemptions.server");
    expect((await redeem(db, { shopDomain: spendShop, memberId: member.id, rewardId: tenPercent.id, requestId: "other-tab-01" })).ok).toBe(false);
    const any = await db.reward.findFirstOrThrow({ where: { shop: { domain: spendShop }, kind: "VARIABLE_AMOUNT" } });
    expect((await redeem(db, { shopDomain: spendShop, memberId: member.id, rewardId: any.id, points: 800, requestId: "other-tab-02" })).ok).toBe(true);
    await row.getByRole("button", { name: "Odbierz" }).click();
    await expect.poll(() => row.getByRole("alert").innerText()).toBe("Nie masz jeszcze wystarczającej liczby punktów na tę nagrodę.");
    expect(await row.getByRole("button", { name: "Odbierz" }).isEnabled()).toBe(true);
    expect(await db.redemption.count({ where: { memberId: member.id } })).toBe(1);
  });
});
