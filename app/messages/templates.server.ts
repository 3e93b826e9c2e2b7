import { createHash } from "node:crypto";
import type { Db } from "../db.server";
import type { Locale } from "../i18n/messages";
import type { Trigger } from "../loyalty/notifications.server";
import { defaultTemplate, type Template } from "./render";

export type Variant = "A" | "B";

export async function triggerSetting(db: Db, shopId: string, trigger: Trigger) {
  return (await db.messageTrigger.findUnique({ where: { shopId_trigger: { shopId, trigger } } })) ?? { shopId, trigger, enabled: true, variantBShare: 0 };
}

/** A member always lands in the same variant of a trigger; `share` percent of members get B. */
export function variantFor(memberId: string, trigger: string, share: number): Variant {
  if (share <= 0) return "A";
  if (share >= 100) return "B";
  const bucket = createHash("sha256").update(`${trigger}:${memberId}`).digest().readUInt32BE(0) % 100;
  return bucket < share ? "B" : "A";
}

/** The merchant's text for this variant and language, else variant A's, else the built-in one. */
export async function templateFor(db: Db, shopId: string, trigger: Trigger, variant: Variant, locale: Locale): Promise<Template> {
  const rows = await db.messageTemplate.findMany({ where: { shopId, trigger, locale } });
  const own = rows.find((r) => r.variant === variant) ?? rows.find((r) => r.variant === "A");
  return own ? { subject: own.subject, body: own.body } : defaultTemplate(locale, trigger);
}
