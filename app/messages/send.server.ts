import type { AutomationSettings, MessageLog } from "@prisma/client";
import nodemailer from "nodemailer";
import type { Db } from "../db.server";
import { pickLocale, translate, type Locale } from "../i18n/messages";
import { automationSettings, localDate } from "../loyalty/automation-settings.server";
import { isTrigger, type Trigger } from "../loyalty/notifications.server";
import { zonedTime } from "../loyalty/period";
import { renderEmail, type RenderedEmail } from "./render";
import { decryptSecret, SMTP_PASSWORD_PURPOSE } from "../secrets.server";
import { templateFor, triggerSetting, variantFor } from "./templates.server";
import { appUrl, clickUrl, pixelUrl, unsubscribeUrl } from "./tokens.server";

export interface MailTransport {
  sendMail(mail: { from: string; to: string; subject: string; html: string; text: string; headers: Record<string, string> }): Promise<unknown>;
  close?(): void;
}

export interface MessageDeps {
  db: Db;
  now?: () => Date;
  /** The app's public URL for links in emails (default SHOPIFY_APP_URL). */
  baseUrl?: string;
  transportFor?: (settings: AutomationSettings) => MailTransport;
}

export function smtpTransport(settings: AutomationSettings): MailTransport {
  return nodemailer.createTransport({
    host: settings.smtpHost!,
    port: settings.smtpPort,
    secure: settings.smtpSecure,
    auth: settings.smtpUser ? { user: settings.smtpUser, pass: settings.smtpPasswordEncrypted ? decryptSecret(settings.smtpPasswordEncrypted, SMTP_PASSWORD_PURPOSE) : "" } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
}

/** A readable shop name from its domain ("demo-store.myshopify.com" -> "demo-store"). */
export function shopName(domain: string): string {
  return domain.replace(/\.myshopify\.com$/, "");
}

function formatDate(iso: string, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone }).format(new Date(iso));
}

export type SendOutcome = "sent" | "skipped" | "already_done";

async function skip(db: Db, log: MessageLog, reason: string): Promise<SendOutcome> {
  await db.messageLog.updateMany({ where: { id: log.id, status: { in: ["QUEUED", "SENDING"] } }, data: { status: "SKIPPED", reason } });
  return "skipped";
}

/** The values a message's template is filled with: the member as they are now, and the trigger's frozen data. */
export function messageValues(
  locale: Locale,
  member: { firstName: string | null; balance: number; tier: { name: string } | null },
  shop: { domain: string; timezone: string },
  data: Record<string, string | number | null>,
): Record<string, string | number | null> {
  const values: Record<string, string | number | null> = {
    ...data,
    firstName: member.firstName?.trim() || translate(locale, "mail.friend"),
    shop: shopName(shop.domain),
    balance: member.balance,
    tier: data.tier ?? member.tier?.name ?? translate(locale, "mail.noTier"),
  };
  if (typeof data.expiresAt === "string") values.date = formatDate(data.expiresAt, locale, shop.timezone);
  if ("reward" in data || "points" in data) {
    values.gift = data.reward ? translate(locale, "mail.gift.reward", { reward: String(data.reward) }) : translate(locale, "mail.gift.points", { points: Number(data.points ?? 0) });
  }
  if (values.tier === null) values.tier = translate(locale, "mail.noTier");
  return values;
}

/**
 * Sends one queued message by email, or records why not: the shop's email is off, the trigger is
 * off, the member has no address, did not consent (marketing messages; transactional ones when the
 * merchant chose so), unsubscribed, or already got the day's allowance. Sending again after a
 * crash between the SMTP hand-off and the SENT mark is possible (at least once), never in a loop.
 */
export async function sendMessage(deps: MessageDeps, messageId: string): Promise<SendOutcome> {
  const { db } = deps;
  const now = deps.now?.() ?? new Date();
  const log = await db.messageLog.findUnique({ where: { id: messageId } });
  if (!log || (log.status !== "QUEUED" && log.status !== "SENDING") || !isTrigger(log.trigger)) return "already_done";
  const trigger: Trigger = log.trigger;
  const member = await db.member.findUnique({ where: { id: log.memberId }, include: { tier: true, shop: true } });
  if (!member || member.redactedAt) return skip(db, log, "no_member");
  const settings = await automationSettings(db, member.shopId);
  const setting = await triggerSetting(db, member.shopId, trigger);
  if (!setting.enabled) return skip(db, log, "trigger_off");
  if (!settings.emailEnabled || !settings.smtpHost || !settings.fromAddress) return skip(db, log, "email_off");
  if (!member.email) return skip(db, log, "no_email");
  const optedOut = await db.messageOptOut.findUnique({ where: { memberId: member.id } });
  if (log.marketing && (!member.acceptsMarketing || optedOut)) return skip(db, log, optedOut ? "unsubscribed" : "no_consent");
  if (!log.marketing && !member.acceptsMarketing && !settings.transactionalToAll) return skip(db, log, "no_consent");

  const today = localDate(now, member.shop.timezone);
  const dayStart = zonedTime(today.year, today.month, today.day, member.shop.timezone);
  const dayEnd = zonedTime(today.year, today.month, today.day + 1, member.shop.timezone);
  const sentToday = await db.messageLog.count({ where: { memberId: member.id, status: "SENT", sentAt: { gte: dayStart, lt: dayEnd } } });
  if (sentToday >= settings.dailyCap) return skip(db, log, "daily_cap");

  const locale = pickLocale(member.shop.locale);
  const variant = variantFor(member.id, trigger, setting.variantBShare);
  const template = await templateFor(db, member.shopId, trigger, variant, locale);
  const values = messageValues(locale, member, member.shop, JSON.parse(log.data) as Record<string, string | number | null>);
  const base = (deps.baseUrl ?? appUrl()).replace(/\/+$/, "");
  const unsubscribe = unsubscribeUrl(base, member.id);
  const email: RenderedEmail = renderEmail(locale, template, values, {
    cta: clickUrl(base, log.id, `https://${member.shop.domain}/`),
    unsubscribe,
    pixel: pixelUrl(base, log.id),
  });
  await db.messageLog.update({
    where: { id: log.id },
    data: { status: "SENDING", variant, locale, toAddress: member.email, subject: email.subject },
  });
  const transport = (deps.transportFor ?? smtpTransport)(settings);
  try {
    await transport.sendMail({
      from: settings.fromAddress,
      to: member.email,
      subject: email.subject,
      html: email.html,
      text: email.text,
      headers: {
        "List-Unsubscribe": `<${unsubscribe}>`,
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "X-Tierwise-Message": log.id,
      },
    });
  } finally {
    transport.close?.();
  }
  await db.messageLog.update({ where: { id: log.id }, data: { status: "SENT", sentAt: now, reason: null } });
  return "sent";
}
