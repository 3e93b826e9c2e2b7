import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverOutbox } from "../../app/jobs/outbox-worker.server";
import { messageOutboxHandlers } from "../../app/jobs/message-handlers.server";
import { queueMessage } from "../../app/loyalty/notifications.server";
import { installShop } from "../../app/loyalty/program.server";
import { listMemberMessages, messageStats } from "../../app/messages/log.server";
import { startApp, TEST_API_SECRET, type RunningApp } from "../support/app-server";
import { freshDatabase } from "../support/database";
import { customer, line, order } from "../support/facts";
import { createShopifyAdminEmulator, DEFAULT_SHOP, flowTriggersReceived, type ShopifyAdminEmulator } from "../emulators/shopify-admin";
import { configureEmail, deliver, SMTP_PASSWORD, startSmtpServer } from "./automations-support";

/**
 * Automated messages end to end: queued by real loyalty events, sent by nodemailer to a real SMTP
 * server on loopback (parsed with mailparser), links served by the built app, Flow triggers sent
 * to the Admin API emulator.
 */
process.env.SHOPIFY_API_SECRET = TEST_API_SECRET;

let db: PrismaClient;
let app: RunningApp;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let emulator: ShopifyAdminEmulator;
const PL = DEFAULT_SHOP.domain;
const CS = "obchod-cs.myshopify.com";
const ids = { pl: "", cs: "" };
let now = new Date("2026-06-01T08:00:00Z");

const graphqlFor = async () => (query: string, options?: { variables?: Record<string, unknown> }) =>
  fetch(`${emulator.url}/admin/api/2026-07/graphql.json`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": DEFAULT_SHOP.accessToken },
    body: JSON.stringify({ query, variables: options?.variables ?? {} }),
  });

async function flush() {
  await deliverOutbox(db, messageOutboxHandlers({ db, now: () => now, baseUrl: app.url, graphqlFor }), { now });
}

const mailsTo = (address: string) => smtp.received.filter((r) => r.to.includes(address)).map((r) => r.mail);
const memberOf = (shopId: string, platformCustomerId: string) =>
  db.member.findUniqueOrThrow({ where: { shopId_platformCustomerId: { shopId, platformCustomerId } } });
const linkIn = (text: string, path: string) => new RegExp(`(http://127\\.0\\.0\\.1:\\d+${path}[^\\s"<]+)`).exec(text)?.[1];

beforeAll(async () => {
  const fresh = freshDatabase();
  db = fresh.db;
  [smtp, emulator, app] = await Promise.all([startSmtpServer(), createShopifyAdminEmulator(), startApp(fresh.url)]);
  ids.pl = (await installShop(db, PL, { timezone: "Europe/Warsaw", locale: "pl" })).id;
  ids.cs = (await installShop(db, CS, { timezone: "Europe/Prague", locale: "cs" })).id;
  await configureEmail(db, ids.pl, smtp.port, { dailyCap: 10 });
  await configureEmail(db, ids.cs, smtp.port, { dailyCap: 2 });
});
afterAll(async () => {
  await Promise.all([app?.stop(), smtp?.close(), emulator?.stop()]);
  await db?.$disconnect();
});

describe("automated messages by email", () => {
  it("stores the SMTP password encrypted", async () => {
    const settings = await db.automationSettings.findUniqueOrThrow({ where: { shopId: ids.pl } });
    expect(settings.smtpPasswordEncrypted).toMatch(/^v1:/);
    expect(settings.smtpPasswordEncrypted).not.toContain(SMTP_PASSWORD);
  });

  it("mails the member in the shop's language with their numbers, and tells Shopify Flow", async () => {
    const olaId = emulator.addCustomer({ firstName: "Ola", email: "ola@example.pl" }).id.split("/").pop()!;
    const ola = customer(olaId, { email: "ola@example.pl", firstName: "Ola", createdAt: now });
    await deliver(db, PL, { type: "customer", customer: ola }, now);
    await deliver(db, PL, { type: "order", order: order("pl-1", ola, [line("a", 25_000)], { processedAt: now }) }, now);
    await deliver(db, CS, { type: "customer", customer: customer("7001", { email: "petr@example.cz", firstName: "Petr", createdAt: now }) }, now);
    await flush();

    const olaMails = mailsTo("ola@example.pl");
    expect(olaMails.map((m) => m.subject).sort()).toEqual(["Osiągnięto poziom Bronze!", "Witamy w programie nagród tierwise-test, Ola", "Zdobyto 250 pkt"].sort());
    const earned = olaMails.find((m) => m.subject === "Zdobyto 250 pkt")!;
    expect(earned.from?.value[0]).toMatchObject({ name: "Rewards", address: "rewards@tierwise.test" });
    expect(earned.text).toContain("za zamówienie #pl-1 otrzymujesz 250 pkt. Twoje saldo wynosi teraz 350 pkt.");
    expect(earned.html).toContain('<html lang="pl">');
    expect(earned.html).toContain("Twoje saldo wynosi teraz 350 pkt.");
    // mailparser folds List-* headers into "list"; one-click unsubscribe per RFC 8058.
    expect(JSON.stringify(earned.headers.get("list"))).toMatch(/\/m\/u\//);
    expect(earned.headerLines.find((h) => h.key === "list-unsubscribe-post")?.line).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");

    const petr = mailsTo("petr@example.cz");
    expect(petr.map((m) => m.subject).sort()).toEqual(["Dosáhli jste úrovně Bronze!", "Vítejte ve věrnostním programu obchod-cs, Petr"]);
    expect(petr.find((m) => m.subject!.startsWith("Vítejte"))!.text).toContain("připsali 100 bodů");

    // Every trigger also went to Flow (Shopify shops only; the Czech test shop has no emulated store).
    const flow = flowTriggersReceived(emulator.shop(PL));
    expect(flow.map((f) => f.handle).sort()).toEqual(["tierwise-points-earned", "tierwise-tier-unlocked", "tierwise-welcome"]);
    expect(flow.find((f) => f.handle === "tierwise-points-earned")!.payload).toEqual({
      customer_id: Number(olaId),
      "Points balance": 350,
      "Tier name": "Bronze",
      Points: 250,
      Detail: "#pl-1",
    });
  });

  it("unsubscribes through the link in the email: no more marketing mail, transactional mail still comes", async () => {
    const member = await memberOf(ids.pl, (await db.member.findFirstOrThrow({ where: { email: "ola@example.pl" } })).platformCustomerId);
    const earned = mailsTo("ola@example.pl").find((m) => m.subject === "Zdobyto 250 pkt")!;
    const link = linkIn(earned.text!, "/m/u/")!;
    expect(link).toBeTruthy();

    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Zrezygnować z wiadomości programu lojalnościowego tierwise-test na adres ola@example.pl?");
    expect(await db.messageOptOut.count()).toBe(0);
    const tampered = await fetch(link.slice(0, -3) + "xyz");
    expect(tampered.status).toBe(404);

    const confirmed = await fetch(link, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain("Wypisano Cię.");
    expect(await db.messageOptOut.findUnique({ where: { memberId: member.id } })).not.toBeNull();

    const before = mailsTo("ola@example.pl").length;
    now = new Date(now.getTime() + 86_400_000);
    await db.$transaction((tx) => queueMessage(tx, { shopId: ids.pl, memberId: member.id, trigger: "we_miss_you", dedupeKey: "t-miss-1", data: {}, now }));
    await deliver(db, PL, { type: "order", order: order("pl-2", customer(member.platformCustomerId, { email: "ola@example.pl", firstName: "Ola" }), [line("b", 4_000)], { processedAt: now }) }, now);
    await flush();
    const after = mailsTo("ola@example.pl").slice(before);
    expect(after.map((m) => m.subject)).toEqual(["Zdobyto 40 pkt"]);
    const skipped = await db.messageLog.findFirstOrThrow({ where: { dedupeKey: "t-miss-1" } });
    expect([skipped.status, skipped.reason]).toEqual(["SKIPPED", "unsubscribed"]);
  });

  it("needs marketing consent for marketing messages, and the merchant's choice for transactional ones", async () => {
    await deliver(db, PL, { type: "customer", customer: customer("8001", { email: "marta@example.pl", firstName: "Marta", acceptsMarketing: false, createdAt: now }) }, now);
    const marta = await memberOf(ids.pl, "8001");
    await db.$transaction((tx) => queueMessage(tx, { shopId: ids.pl, memberId: marta.id, trigger: "spend_points", dedupeKey: "t-spend-marta", data: { reward: "5 off" }, now }));
    await flush();
    expect(mailsTo("marta@example.pl").map((m) => m.subject).sort()).toEqual(["Osiągnięto poziom Bronze!", "Witamy w programie nagród tierwise-test, Marta"]);
    expect((await db.messageLog.findFirstOrThrow({ where: { dedupeKey: "t-spend-marta" } })).reason).toBe("no_consent");

    await db.automationSettings.update({ where: { shopId: ids.pl }, data: { transactionalToAll: false } });
    await db.$transaction((tx) => queueMessage(tx, { shopId: ids.pl, memberId: marta.id, trigger: "milestone", dedupeKey: "t-milestone-marta", data: { milestone: 1000 }, now }));
    await flush();
    expect(mailsTo("marta@example.pl")).toHaveLength(2);
    expect((await db.messageLog.findFirstOrThrow({ where: { dedupeKey: "t-milestone-marta" } })).reason).toBe("no_consent");
    await db.automationSettings.update({ where: { shopId: ids.pl }, data: { transactionalToAll: true } });
  });

  it("sends a member at most the day's cap in the shop's calendar day", async () => {
    const petr = await memberOf(ids.cs, "7001");
    // Petr got two emails on 1 June (Prague); the cap is 2.
    await db.$transaction((tx) => queueMessage(tx, { shopId: ids.cs, memberId: petr.id, trigger: "milestone", dedupeKey: "t-cap-1", data: { milestone: 1000 }, now: new Date("2026-06-01T20:00:00Z") }));
    const saved = now;
    now = new Date("2026-06-01T21:30:00Z"); // 23:30 in Prague: still 1 June
    await flush();
    expect((await db.messageLog.findFirstOrThrow({ where: { dedupeKey: "t-cap-1" } })).reason).toBe("daily_cap");
    await db.$transaction((tx) => queueMessage(tx, { shopId: ids.cs, memberId: petr.id, trigger: "milestone", dedupeKey: "t-cap-2", data: { milestone: 5000 }, now }));
    now = new Date("2026-06-01T22:30:00Z"); // 00:30 on 2 June in Prague
    await flush();
    expect((await db.messageLog.findFirstOrThrow({ where: { dedupeKey: "t-cap-2" } })).status).toBe("SENT");
    expect(mailsTo("petr@example.cz").map((m) => m.subject)).toContain("Už 5000 bodů!");
    now = saved;
  });

  it("counts opens, clicks and conversions per A/B variant, and logs every message on the member", async () => {
    const ola = await db.member.findFirstOrThrow({ where: { email: "ola@example.pl" } });
    await db.messageTrigger.create({ data: { shopId: ids.pl, trigger: "points_earned", variantBShare: 100 } });
    await db.messageTemplate.create({
      data: { shopId: ids.pl, trigger: "points_earned", variant: "B", locale: "pl", subject: "{firstName}, masz {points} pkt więcej!", body: "Saldo: {balance} pkt." },
    });
    now = new Date(now.getTime() + 86_400_000);
    await deliver(db, PL, { type: "order", order: order("pl-3", customer(ola.platformCustomerId, { email: "ola@example.pl", firstName: "Ola" }), [line("c", 1_000)], { processedAt: now }) }, now);
    await flush();
    const variantB = mailsTo("ola@example.pl").find((m) => m.subject === "Ola, masz 10 pkt więcej!")!;
    expect(variantB.text).toContain("Saldo: 400 pkt.");

    const pixel = /<img src="([^"]+)"/.exec(String(variantB.html))![1].replace(/&amp;/g, "&");
    const image = await fetch(pixel);
    expect(image.headers.get("content-type")).toBe("image/gif");
    const click = /<a href="([^"]+)"/.exec(String(variantB.html))![1].replace(/&amp;/g, "&");
    const redirected = await fetch(click, { redirect: "manual" });
    expect(redirected.status).toBe(302);
    expect(redirected.headers.get("location")).toBe(`https://${PL}/`);
    const forged = await fetch(click.replace(encodeURIComponent(`https://${PL}/`), encodeURIComponent("https://evil.example/")), { redirect: "manual" });
    expect(forged.status).toBe(400);

    // An order two days after the email is a conversion of variant B.
    now = new Date(now.getTime() + 2 * 86_400_000);
    await deliver(db, PL, { type: "order", order: order("pl-4", customer(ola.platformCustomerId, { email: "ola@example.pl", firstName: "Ola" }), [line("d", 1_000)], { processedAt: now }) }, now);
    const stats = (await messageStats(db, ids.pl)).filter((s) => s.trigger === "points_earned");
    expect(stats.find((s) => s.variant === "B")).toEqual({ trigger: "points_earned", variant: "B", sends: 1, opens: 1, clicks: 1, conversions: 1 });
    expect(stats.find((s) => s.variant === "A")).toMatchObject({ sends: 2, opens: 0, clicks: 0 });

    const log = await listMemberMessages(db, ola.id);
    // Newest first: the last order's message is still queued; the one before went out as variant B.
    expect(log[0]).toMatchObject({ trigger: "points_earned", status: "QUEUED" });
    expect(log[1]).toMatchObject({ trigger: "points_earned", variant: "B", status: "SENT", subject: "Ola, masz 10 pkt więcej!" });
    expect(log[1].openedAt).not.toBeNull();
    expect(log.map((m) => m.trigger)).toEqual(expect.arrayContaining(["welcome", "tier_unlocked", "points_earned", "we_miss_you"]));
    expect(log.find((m) => m.trigger === "we_miss_you")).toMatchObject({ status: "SKIPPED", reason: "unsubscribed" });
  });
});
