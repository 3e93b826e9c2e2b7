import { z } from "zod";
import type { Db } from "../db.server";
import { LOCALES, type Locale } from "../i18n/messages";
import { automationSettings } from "../loyalty/automation-settings.server";
import { MARKETING_TRIGGERS, TRIGGERS, isTrigger, type Trigger } from "../loyalty/notifications.server";
import { messageStats, type VariantStats } from "./log.server";
import { defaultTemplate, type Template } from "./render";
import { encryptSecret, SMTP_PASSWORD_PURPOSE } from "../secrets.server";

/** What the messages admin page shows and saves. Routes only authenticate and call these. */

export interface TriggerRow {
  trigger: Trigger;
  marketing: boolean;
  enabled: boolean;
  variantBShare: number;
  stats: VariantStats[];
}

export interface MessagesOverview {
  emailEnabled: boolean;
  email: { smtpHost: string; smtpPort: number; smtpUser: string; fromAddress: string; dailyCap: number; transactionalToAll: boolean; hasPassword: boolean };
  triggers: TriggerRow[];
}

export async function messagesOverview(db: Db, shopId: string): Promise<MessagesOverview> {
  const [settings, switches, stats] = await Promise.all([
    automationSettings(db, shopId),
    db.messageTrigger.findMany({ where: { shopId } }),
    messageStats(db, shopId),
  ]);
  return {
    emailEnabled: settings.emailEnabled,
    email: {
      smtpHost: settings.smtpHost ?? "",
      smtpPort: settings.smtpPort,
      smtpUser: settings.smtpUser ?? "",
      fromAddress: settings.fromAddress ?? "",
      dailyCap: settings.dailyCap,
      transactionalToAll: settings.transactionalToAll,
      hasPassword: Boolean(settings.smtpPasswordEncrypted),
    },
    triggers: TRIGGERS.map((trigger) => {
      const row = switches.find((s) => s.trigger === trigger);
      return {
        trigger,
        marketing: MARKETING_TRIGGERS.has(trigger),
        enabled: row?.enabled ?? true,
        variantBShare: row?.variantBShare ?? 0,
        stats: stats.filter((s) => s.trigger === trigger),
      };
    }),
  };
}

export type Templates = Record<Locale, Record<"A" | "B", Template & { custom: boolean }>>;

export async function triggerTemplates(db: Db, shopId: string, trigger: Trigger): Promise<Templates> {
  const rows = await db.messageTemplate.findMany({ where: { shopId, trigger } });
  const result = {} as Templates;
  for (const locale of LOCALES) {
    const base = defaultTemplate(locale, trigger);
    const a = rows.find((r) => r.locale === locale && r.variant === "A");
    const b = rows.find((r) => r.locale === locale && r.variant === "B");
    result[locale] = {
      A: a ? { subject: a.subject, body: a.body, custom: true } : { ...base, custom: false },
      B: b ? { subject: b.subject, body: b.body, custom: true } : a ? { subject: a.subject, body: a.body, custom: false } : { ...base, custom: false },
    };
  }
  return result;
}

export type FormErrors = Partial<Record<string, "messages.subjectRequired" | "messages.bodyRequired" | "messages.splitInvalid" | "messages.invalid">>;
export type SaveResult = { ok: true } | { ok: false; errors: FormErrors };

const templateSchema = z.object({
  trigger: z.string().refine(isTrigger),
  variant: z.enum(["A", "B"]),
  locale: z.enum(LOCALES as [Locale, ...Locale[]]),
  subject: z.string().trim().min(1).max(200),
  body: z.string().trim().min(1).max(5_000),
});

export async function saveTemplate(db: Db, shopId: string, form: FormData): Promise<SaveResult> {
  const parsed = templateSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    const errors: FormErrors = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0]);
      errors[field] = field === "subject" ? "messages.subjectRequired" : field === "body" ? "messages.bodyRequired" : "messages.invalid";
    }
    return { ok: false, errors };
  }
  const { trigger, variant, locale, subject, body } = parsed.data;
  await db.messageTemplate.upsert({
    where: { shopId_trigger_variant_locale: { shopId, trigger, variant, locale } },
    create: { shopId, trigger, variant, locale, subject, body },
    update: { subject, body },
  });
  return { ok: true };
}

const triggerSchema = z.object({
  trigger: z.string().refine(isTrigger),
  enabled: z.enum(["true", "false"]),
  variantBShare: z.coerce.number().int().min(0).max(100),
});

export async function saveTriggerSetting(db: Db, shopId: string, form: FormData): Promise<SaveResult> {
  const parsed = triggerSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { ok: false, errors: { variantBShare: "messages.splitInvalid" } };
  const { trigger, enabled, variantBShare } = parsed.data;
  await db.messageTrigger.upsert({
    where: { shopId_trigger: { shopId, trigger } },
    create: { shopId, trigger, enabled: enabled === "true", variantBShare },
    update: { enabled: enabled === "true", variantBShare },
  });
  return { ok: true };
}

const emailSchema = z.object({
  emailEnabled: z.enum(["true", "false"]),
  smtpHost: z.string().trim().max(255).regex(/^[A-Za-z0-9.-]*$/),
  smtpPort: z.coerce.number().int().min(1).max(65_535),
  smtpUser: z.string().trim().max(255),
  smtpPassword: z.string().max(500),
  fromAddress: z.string().trim().max(320),
  dailyCap: z.coerce.number().int().min(0).max(50),
  transactionalToAll: z.enum(["true", "false"]),
});

/** SMTP settings; the password is stored encrypted, and a blank one keeps the stored one. */
export async function saveEmailSettings(db: Db, shopId: string, form: FormData): Promise<SaveResult> {
  const parsed = emailSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    const errors: FormErrors = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0])] = "messages.invalid";
    return { ok: false, errors };
  }
  const { smtpPassword, emailEnabled, transactionalToAll, ...rest } = parsed.data;
  const data = {
    ...rest,
    smtpHost: rest.smtpHost || null,
    smtpUser: rest.smtpUser || null,
    fromAddress: rest.fromAddress || null,
    emailEnabled: emailEnabled === "true",
    transactionalToAll: transactionalToAll === "true",
    ...(smtpPassword ? { smtpPasswordEncrypted: encryptSecret(smtpPassword, SMTP_PASSWORD_PURPOSE) } : {}),
  };
  await db.automationSettings.upsert({ where: { shopId }, create: { shopId, ...data }, update: data });
  return { ok: true };
}
