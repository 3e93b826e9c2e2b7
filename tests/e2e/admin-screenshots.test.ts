import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser } from "playwright-core";
import { startApp, type RunningApp } from "../support/app-server";
import { freshDatabaseFile } from "../support/database-file";

/**
 * Every admin page in a real Chromium, in English and Polish, on the local demo admin (development
 * server on loopback with TIERWISE_DEMO_ADMIN=1) with demo data made by the real core.
 * Screenshots: tests/e2e/__screenshots__/admin-<page>-<locale>.png. Playwright gives every launch a fresh
 * temporary profile (its own --user-data-dir).
 */
const file = freshDatabaseFile();
process.env.DATABASE_URL = `file:${file}`;
const { default: db } = await import("../../app/db.server");
const { seedAdminDemo } = await import("../support/admin-demo-data");

const SHOTS = path.resolve(import.meta.dirname, "__screenshots__");
let app: RunningApp;
let browser: Browser;
let memberId: string;
let rewardId: string;

beforeAll(async () => {
  ({ topMemberId: memberId } = await seedAdminDemo(db));
  rewardId = (await db.reward.findFirstOrThrow({ where: { kind: "VARIABLE_AMOUNT" } })).id;
  app = await startApp(`file:${file}`, { TIERWISE_DEMO_ADMIN: "1", NODE_ENV: "development" });
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await db.$disconnect();
});

const PAGES: { name: string; path: () => string; en: string; pl: string }[] = [
  { name: "dashboard", path: () => "/app", en: "Points over time", pl: "Punkty w czasie" },
  { name: "onboarding", path: () => "/app/onboarding", en: "What happens next", pl: "Co dalej" },
  { name: "rules", path: () => "/app/rules", en: "Points for purchases", pl: "Punkty za zakupy" },
  { name: "tiers", path: () => "/app/tiers", en: "Preview how many members", pl: "Sprawdź przed zapisaniem" },
  { name: "rewards", path: () => "/app/rewards", en: "Points for money off", pl: "Punkty na rabat" },
  { name: "reward", path: () => `/app/rewards/${rewardId}`, en: "Points per step", pl: "Punkty za krok" },
  { name: "members", path: () => "/app/members", en: "Lifetime points", pl: "Punkty łącznie" },
  { name: "member", path: () => `/app/members/${memberId}`, en: "Apology for a late parcel", pl: "Historia punktów" },
  { name: "import", path: () => "/app/import", en: "Import members", pl: "Import członków" },
];

describe("admin pages in Chromium", () => {
  for (const locale of ["en", "pl"] as const) {
    it(`every page renders in ${locale}, without errors, and is captured`, async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      // Set the language once; the admin keeps it for the following pages.
      await page.goto(`${app.url}/app?locale=${locale}`, { waitUntil: "networkidle" });
      for (const p of PAGES) {
        await page.goto(`${app.url}${p.path()}`, { waitUntil: "networkidle" });
        await expect(page.getByText(p[locale], { exact: false }).first()).toBeDefined();
        const text = await page.locator("body").innerText();
        expect(text, `${p.name} ${locale}`).toContain(p[locale]);
        // Keys that were never translated would show as "admin.…".
        expect(text).not.toMatch(/admin\.[a-z]+\.[a-zA-Z]/);
        await page.screenshot({ path: path.join(SHOTS, `admin-${p.name}-${locale}.png`), fullPage: true });
      }
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it("a double-clicked adjustment in the browser adjusts once, and a bad one shows a translated error", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${app.url}/app/members/${memberId}?locale=pl`, { waitUntil: "networkidle" });
    const before = await db.member.findUniqueOrThrow({ where: { id: memberId } });
    await page.getByLabel("Punkty do dodania lub odjęcia").fill("0");
    await page.getByLabel("Powód").first().fill("x");
    await page.getByRole("button", { name: "Zmień punkty" }).click();
    await page.getByText("Wpisz liczbę różną od zera.").waitFor();
    await page.getByText("Co najmniej 3 znaki.").waitFor();
    await page.getByLabel("Punkty do dodania lub odjęcia").fill("75");
    await page.getByLabel("Powód").first().fill("Bonus za recenzję");
    await page.getByRole("button", { name: "Zmień punkty" }).dblclick();
    await page.getByText("Bonus za recenzję").first().waitFor();
    await page.waitForLoadState("networkidle");
    const after = await db.member.findUniqueOrThrow({ where: { id: memberId } });
    expect(after.balance).toBe(before.balance + 75);
    expect(await db.ledgerEntry.count({ where: { memberId, reason: "Bonus za recenzję" } })).toBe(1);
    await page.screenshot({ path: path.join(SHOTS, "admin-member-adjusted-pl.png"), fullPage: true });
    await context.close();
  });

  it("exports members as a CSV download from the members page", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${app.url}/app/members?locale=en`, { waitUntil: "networkidle" });
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export members" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^tierwise-members-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = await readFile((await download.path())!, "utf8");
    expect(text.split("\r\n")[0]).toBe("customer_id,email,first_name,last_name,points,lifetime_points,vip_tier,last_order_at,enrolled_at");
    expect(text.trim().split("\r\n")).toHaveLength(1 + (await db.member.count()));
    await context.close();
  });

  it("imports a Smile.io-style CSV through the page: preview, row errors, progress, and a second import changes nothing", async () => {
    const members = await db.member.findMany({ orderBy: { platformCustomerId: "asc" }, take: 3 });
    const csv = ["email,points,vip_tier", `${members[0].email},120,`, `${members[1].email},12x,`, `${members[2].email},30,Diamond`, "stranger@example.com,5,"].join("\n");
    const before = await db.member.findUniqueOrThrow({ where: { id: members[0].id } });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${app.url}/app/import?locale=en`, { waitUntil: "networkidle" });
    const upload = async () => {
      await page.locator('input[type="file"]').setInputFiles({ name: "smile-export.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
      await page.getByText("1 rows ready, 3 with problems, 4 in the file.").waitFor();
    };
    await upload();
    await page.getByText("Points must be a whole number.").waitFor();
    await page.getByText("There is no tier named “Diamond”.").waitFor();
    await page.getByRole("button", { name: "Import 1 rows" }).click();
    await page.getByText("1 of 1 rows done: 1 imported, 0 unchanged.").waitFor();
    await page.screenshot({ path: path.join(SHOTS, "admin-import-done-en.png"), fullPage: true });
    expect((await db.member.findUniqueOrThrow({ where: { id: members[0].id } })).balance).toBe(before.balance + 120);
    // The same file again: previewed, imported, and nothing changes.
    await page.reload({ waitUntil: "networkidle" });
    await upload();
    await page.getByRole("button", { name: "Import 1 rows" }).click();
    await page.getByText("1 of 1 rows done: 0 imported, 1 unchanged.").waitFor();
    expect((await db.member.findUniqueOrThrow({ where: { id: members[0].id } })).balance).toBe(before.balance + 120);
    await context.close();
  });
});
