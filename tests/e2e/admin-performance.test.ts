import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser } from "playwright-core";
import { startApp, type RunningApp } from "../support/app-server";
import { freshDatabaseFile } from "../support/database-file";

/**
 * Largest Contentful Paint and layout shift of the admin's heaviest pages on a shop with 10,000
 * members, measured in Chromium with a PerformanceObserver (the figures are printed).
 */
const MEMBERS = 10_000;
const shop = "tierwise-demo.myshopify.com";
const file = freshDatabaseFile();
process.env.DATABASE_URL = `file:${file}`;
const { default: db } = await import("../../app/db.server");
const { installShop } = await import("../../app/loyalty/program.server");
const { checkMember } = await import("../../app/loyalty/ledger.server");

let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  const created = await installShop(db, shop);
  await db.session.create({ data: { id: `offline_${shop}`, shop, state: "demo", isOnline: false, accessToken: "shpat_tierwise_demo_token", scope: "read_orders" } });
  const tiers = await db.tier.findMany({ where: { shopId: created.id }, orderBy: { position: "asc" } });
  const now = Date.now();
  // Members with one welcome or adjustment credit each: cached numbers agree with the ledger.
  for (let start = 0; start < MEMBERS; start += 1000) {
    const members = Array.from({ length: 1000 }, (_, k) => {
      const i = start + k;
      const points = 100 + ((i * 7919) % 1500);
      const tier = [...tiers].reverse().find((t) => points >= t.threshold)!;
      return {
        id: `perf-${i}`, shopId: created.id, platformCustomerId: String(8_000_000 + i), email: `member${i}@example.com`, firstName: `Member`, lastName: `Number ${i}`,
        balance: points, lifetimePoints: points, tierId: tier.id, lastOrderAt: new Date(now - (i % 200) * 86_400_000),
      };
    });
    await db.member.createMany({ data: members });
    await db.ledgerEntry.createMany({
      data: members.map((m) => ({
        shopId: created.id, memberId: m.id, kind: "WELCOME" as const, points: m.balance, qualifying: true, reason: "Welcome to the program", sourceType: "rule",
        idempotencyKey: `perf:${m.id}`, occurredAt: new Date(now - 30 * 86_400_000), remaining: m.balance,
      })),
    });
  }
  expect(await checkMember(db, (await db.member.findUniqueOrThrow({ where: { id: "perf-42" } })))).toEqual([]);
  app = await startApp(`file:${file}`, { TIERWISE_DEMO_ADMIN: "1", NODE_ENV: "development" });
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await db.$disconnect();
});

async function measure(url: string) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(() => {
    const w = window as unknown as { __lcp: number; __cls: number };
    w.__lcp = 0;
    w.__cls = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__lcp = entry.startTime;
    }).observe({ type: "largest-contentful-paint", buffered: true });
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) if (!entry.hadRecentInput) w.__cls += entry.value;
    }).observe({ type: "layout-shift", buffered: true });
  });
  await page.goto(url, { waitUntil: "networkidle" });
  await page.waitForTimeout(500);
  const figures = await page.evaluate(() => {
    const w = window as unknown as { __lcp: number; __cls: number };
    return { lcp: Math.round(w.__lcp), cls: Number(w.__cls.toFixed(4)) };
  });
  await page.screenshot({ path: path.resolve(import.meta.dirname, "__screenshots__", `admin-perf-${new URL(url).pathname.split("/").pop() || "dashboard"}.png`) });
  await context.close();
  return figures;
}

describe(`admin with ${MEMBERS.toLocaleString("en-US")} members`, () => {
  // LCP is printed, not asserted: a timed limit inside the suite fails on a busy CI machine for
  // reasons that are not the page's (the figures go to bench/RESULTS.md; target under 2.5 s).
  it("the members list, a late page of it, a member and the dashboard paint without layout shift", async () => {
    const pages = ["/app/members", "/app/members?page=150&sort=lastOrder_asc", "/app/members?q=Number%209999", "/app/members/perf-9999", "/app", "/app/tiers"];
    for (const p of pages) {
      // The first visit of a page after the server started also compiles its queries; both printed,
      // the limit holds for the second (what every later merchant visit gets).
      const cold = await measure(`${app.url}${p}`);
      const { lcp, cls } = await measure(`${app.url}${p}`);
      console.log(`LCP ${lcp} ms (first visit ${cold.lcp} ms), CLS ${cls} on ${p} (${MEMBERS} members)`);
      expect(lcp, p).toBeGreaterThan(0);
      expect(cls, p).toBeLessThan(0.1);
      expect(cold.cls, p).toBeLessThan(0.1);
    }
  });
});
