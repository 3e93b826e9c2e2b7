import type { AddressInfo } from "node:net";
import type { PrismaClient } from "@prisma/client";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { processEvent } from "../../app/loyalty/events.server";
import { installShop } from "../../app/loyalty/program.server";
import { redeem } from "../../app/loyalty/redemptions.server";
import type { LoyaltyEvent } from "../../app/loyalty/types";
import { encryptSecret, SMTP_PASSWORD_PURPOSE } from "../../app/secrets.server";
import { customer, line, order } from "../support/facts";

/** Shared by the automations tests: a real SMTP server on loopback, and a member's year. */

export const SMTP_USER = "tierwise";
export const SMTP_PASSWORD = "smtp-pa55word";

export interface ReceivedMail {
  to: string[];
  mail: ParsedMail;
}

export async function startSmtpServer() {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) callback(null, { user: SMTP_USER });
      else callback(new Error("Invalid username or password"));
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), mail });
          callback();
        },
        (error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export async function configureEmail(db: PrismaClient, shopId: string, port: number, extra: Record<string, unknown> = {}) {
  await db.automationSettings.upsert({
    where: { shopId },
    create: {
      shopId,
      emailEnabled: true,
      smtpHost: "127.0.0.1",
      smtpPort: port,
      smtpUser: SMTP_USER,
      smtpPasswordEncrypted: encryptSecret(SMTP_PASSWORD, SMTP_PASSWORD_PURPOSE),
      fromAddress: "Rewards <rewards@tierwise.test>",
      ...extra,
    },
    update: extra,
  });
}

let seq = 0;
export const deliver = (db: PrismaClient, domain: string, event: LoyaltyEvent, now: Date) =>
  processEvent(db, { shopDomain: domain, dedupeKey: `event-${++seq}-${now.getTime()}`, topic: "test" }, event, now);

export const at = (iso: string) => new Date(iso);

/**
 * Ola's year at a Polish shop (Europe/Warsaw, calendar-year tiers, Gold kept at 800 points a year,
 * Silver at 250; points expire 12 months after they were earned, reminders 14 days before; win-back
 * after 45 days). Before the replay: she joins on 1 Nov 2025 (100 welcome points) and orders
 * $1,000 on 10 Nov 2025 (Gold). In 2026 she orders $200 once (300 points at Gold's 1.5x) and
 * redeems 500 points.
 */
export async function setupYear(db: PrismaClient, smtpPort: number) {
  const domain = "rok-ola.myshopify.com";
  const shop = await installShop(db, domain, { timezone: "Europe/Warsaw", locale: "pl", currency: "PLN" });
  await db.program.update({ where: { shopId: shop.id }, data: { tierPeriod: "CALENDAR_YEAR" } });
  await db.tier.update({ where: { shopId_position: { shopId: shop.id, position: 2 } }, data: { retainThreshold: 800 } });
  await db.tier.update({ where: { shopId_position: { shopId: shop.id, position: 1 } }, data: { retainThreshold: 250 } });
  await configureEmail(db, shop.id, smtpPort, {
    expiryMode: "ENTRY_AGE",
    expiryMonths: 12,
    expiryReminderDays: 14,
    winbackDays: 45,
    soClosePercent: 10,
    spendPointsDays: 30,
    dailyCap: 10,
  });
  const ola = customer("5001", { email: "ola@example.pl", firstName: "Ola", createdAt: at("2025-11-01T09:00:00Z") });
  await deliver(db, domain, { type: "customer", customer: ola }, at("2025-11-01T09:00:00Z"));
  await db.member.updateMany({ where: { shopId: shop.id, platformCustomerId: "5001" }, data: { birthday: "1990-05-20" } });
  await deliver(db, domain, { type: "order", order: order("9001", ola, [line("a", 100_000)], { processedAt: at("2025-11-10T12:00:00Z") }) }, at("2025-11-10T12:00:00Z"));
  const member = await db.member.findFirstOrThrow({ where: { shopId: shop.id, platformCustomerId: "5001" } });
  const reward = await db.reward.findFirstOrThrow({ where: { shopId: shop.id, name: "5 off" } });
  const pending = [
    {
      at: at("2026-03-05T12:00:00Z"),
      apply: () => deliver(db, domain, { type: "order", order: order("9002", ola, [line("b", 20_000)], { processedAt: at("2026-03-05T12:00:00Z") }) }, at("2026-03-05T12:00:00Z")),
    },
    {
      at: at("2026-03-10T10:00:00Z"),
      apply: async () => {
        const result = await redeem(db, { shopDomain: domain, memberId: member.id, rewardId: reward.id, requestId: "ola-2026-03-10" }, at("2026-03-10T10:00:00Z"));
        if (!result.ok) throw new Error(`redeem failed: ${result.reason}`);
      },
    },
  ];
  return {
    domain,
    shopId: shop.id,
    memberId: member.id,
    /** The year's events (order, redemption) that happen before `until` and were not applied yet. */
    async eventsBefore(until: Date) {
      for (const event of pending.filter((e) => e.at < until)) {
        pending.splice(pending.indexOf(event), 1);
        await event.apply();
      }
    },
  };
}

/**
 * The scheduler's ticks over the year: from 1 Jan 2026 to 1 Mar 2027 at 00:30 UTC, every `stepDays`
 * days (the jobs are date-driven, so a scheduler that ticks rarely, or was down, catches up).
 */
export function replayTicks(stepDays: number): Date[] {
  const ticks: Date[] = [];
  for (let t = Date.UTC(2026, 0, 1, 0, 30); t <= Date.UTC(2027, 2, 1, 0, 30); t += stepDays * 86_400_000) ticks.push(new Date(t));
  return ticks;
}

/** What the year must have produced for Ola, whatever the schedulers did. */
export async function outcome(db: PrismaClient, memberId: string) {
  const ledger = await db.ledgerEntry.findMany({ where: { memberId }, orderBy: [{ occurredAt: "asc" }, { createdAt: "asc" }] });
  const messages = await db.messageLog.findMany({ where: { memberId }, orderBy: [{ queuedAt: "asc" }, { dedupeKey: "asc" }] });
  const member = await db.member.findUniqueOrThrow({ where: { id: memberId }, include: { tier: true } });
  const changes = await db.tierChange.findMany({ where: { memberId }, orderBy: { createdAt: "asc" }, include: {} });
  return {
    expiries: ledger.filter((e) => e.kind === "EXPIRY").map((e) => ({ points: e.points, at: e.occurredAt.toISOString() })),
    birthdays: ledger.filter((e) => e.kind === "BIRTHDAY").map((e) => ({ points: e.points, at: e.occurredAt.toISOString() })),
    downgrades: changes.filter((c) => c.direction === "DOWN").map((c) => ({ reason: c.reason, at: c.createdAt.toISOString() })),
    messages: messages.map((m) => ({ trigger: m.trigger, status: m.status, reason: m.reason, sentAt: m.sentAt?.toISOString(), queuedAt: m.queuedAt.toISOString().slice(0, 10) })),
    ledger: ledger.map((e) => `${e.occurredAt.toISOString().slice(0, 10)} ${e.kind} ${e.points} rem=${e.remaining}`),
    balance: member.balance,
    tier: member.tier?.name ?? null,
  };
}
