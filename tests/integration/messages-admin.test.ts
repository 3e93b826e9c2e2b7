import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { AppProvider } from "@shopify/polaris";
import polarisEn from "@shopify/polaris/locales/en.json";
import polarisPl from "@shopify/polaris/locales/pl.json";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@prisma/client";
import { installShop } from "../../app/loyalty/program.server";
import { messagesOverview, saveEmailSettings, saveTemplate, saveTriggerSetting, triggerTemplates } from "../../app/messages/admin.server";
import { MessagesOverviewView } from "../../app/messages/ui/messages-overview";
import { TemplateEditorView } from "../../app/messages/ui/template-editor";
import { freshDatabase } from "../support/database";
import { TEST_API_SECRET } from "../support/app-server";
import { testTempDir } from "../support/temp";

/**
 * The messages admin page: its services validate and save, and its views (the same components the
 * routes render, without the embedded-admin session) are rendered into a page and screenshot with
 * Chromium (into a temporary folder; TIERWISE_UPDATE_SCREENSHOTS=1 writes docs/screenshots/messages-*.png).
 */
process.env.SHOPIFY_API_SECRET = TEST_API_SECRET;
const root = path.resolve(import.meta.dirname, "../..");
let db: PrismaClient;
let shopId: string;

beforeAll(async () => {
  db = freshDatabase().db;
  shopId = (await installShop(db, "admin-messages.myshopify.com", { locale: "pl" })).id;
});
afterAll(() => db.$disconnect());

const form = (values: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(values)) data.set(k, v);
  return data;
};

function screenshot(name: string, body: string, height: number) {
  const css = readFileSync(path.join(root, "node_modules/@shopify/polaris/build/esm/styles.css"), "utf8");
  const dir = testTempDir("shot-");
  const html = path.join(dir, `${name}.html`);
  writeFileSync(html, `<!doctype html><html><head><meta charset="utf-8"><style>${css}</style></head><body style="background:#f1f1f1">${body}</body></html>`);
  const out = process.env.TIERWISE_UPDATE_SCREENSHOTS ? path.join(root, "docs/screenshots") : dir;
  mkdirSync(out, { recursive: true });
  const png = path.join(out, `${name}.png`);
  execFileSync("/usr/bin/chromium", [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", `--user-data-dir=${path.join(dir, "profile")}`, "--hide-scrollbars",
    `--window-size=1280,${height}`, `--screenshot=${png}`, `file://${html}`,
  ], { stdio: "ignore", timeout: 60_000 });
  return png;
}

describe("the messages admin page", () => {
  it("saves trigger switches, splits, templates and SMTP settings, refusing bad input with translated errors", async () => {
    expect(await saveTriggerSetting(db, shopId, form({ trigger: "welcome", enabled: "false", variantBShare: "0" }))).toEqual({ ok: true });
    expect(await saveTriggerSetting(db, shopId, form({ trigger: "points_earned", enabled: "true", variantBShare: "150" }))).toEqual({ ok: false, errors: { variantBShare: "messages.splitInvalid" } });
    expect(await saveTriggerSetting(db, shopId, form({ trigger: "points_earned", enabled: "true", variantBShare: "30" }))).toEqual({ ok: true });
    expect(await saveTriggerSetting(db, shopId, form({ trigger: "not_a_trigger", enabled: "true", variantBShare: "0" }))).toMatchObject({ ok: false });
    expect(await saveTemplate(db, shopId, form({ trigger: "points_earned", variant: "B", locale: "pl", subject: " ", body: "x" }))).toEqual({ ok: false, errors: { subject: "messages.subjectRequired" } });
    expect(await db.messageTemplate.count()).toBe(0);
    expect(await saveTemplate(db, shopId, form({ trigger: "points_earned", variant: "B", locale: "pl", subject: "{firstName}, +{points} pkt!", body: "Masz już {balance} pkt." }))).toEqual({ ok: true });
    expect(await saveEmailSettings(db, shopId, form({ emailEnabled: "true", smtpHost: "smtp.example.com", smtpPort: "587", smtpUser: "shop", smtpPassword: "hunter2", fromAddress: "Nagrody <nagrody@example.com>", dailyCap: "2", transactionalToAll: "true" }))).toEqual({ ok: true });
    expect(await saveEmailSettings(db, shopId, form({ emailEnabled: "true", smtpHost: "bad host!", smtpPort: "70000", smtpUser: "", smtpPassword: "", fromAddress: "", dailyCap: "2", transactionalToAll: "true" }))).toMatchObject({ ok: false, errors: { smtpHost: "messages.invalid", smtpPort: "messages.invalid" } });
    const settings = await db.automationSettings.findUniqueOrThrow({ where: { shopId } });
    expect(settings.smtpHost).toBe("smtp.example.com");
    expect(settings.smtpPasswordEncrypted).not.toContain("hunter2");

    const overview = await messagesOverview(db, shopId);
    expect(overview.triggers.find((t) => t.trigger === "welcome")).toMatchObject({ enabled: false });
    expect(overview.triggers.find((t) => t.trigger === "points_earned")).toMatchObject({ enabled: true, variantBShare: 30 });
    const templates = await triggerTemplates(db, shopId, "points_earned");
    expect(templates.pl.B).toEqual({ subject: "{firstName}, +{points} pkt!", body: "Masz już {balance} pkt.", custom: true });
    expect(templates.cs.A).toMatchObject({ subject: "Získali jste {points} bodů", custom: false });
  });

  it("renders the list and the editor with its live preview in Polish (screenshots)", async () => {
    const data = await messagesOverview(db, shopId);
    const list = renderToString(
      createElement(AppProvider, { i18n: polarisPl }, createElement(MessagesOverviewView, { locale: "pl", data, editUrl: (t: string) => `/app/messages/${t}`, submit: () => {} })),
    );
    expect(list).toContain("Wiadomości automatyczne");
    expect(list).toContain("Tęsknimy");
    const templates = await triggerTemplates(db, shopId, "points_earned");
    const editor = renderToString(
      createElement(AppProvider, { i18n: polarisEn }, createElement(TemplateEditorView, { locale: "pl", trigger: "points_earned", templates, backUrl: "/app/messages", submit: () => {} })),
    );
    // The preview is the email the member gets, filled with sample data.
    expect(editor).toContain("Zdobyto 120 pkt");
    const shots = [screenshot("messages-list", list, 1500), screenshot("messages-editor", editor, 900)];
    for (const shot of shots) {
      expect(existsSync(shot)).toBe(true);
      expect(statSync(shot).size).toBeGreaterThan(20_000);
    }
  });
});
