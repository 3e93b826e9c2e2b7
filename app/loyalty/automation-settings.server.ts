import type { AutomationSettings } from "@prisma/client";
import type { Db, Tx } from "../db.server";

/** The automation settings of a shop that never saved any. */
export function defaultAutomationSettings(shopId: string): AutomationSettings {
  return {
    shopId,
    expiryMode: "NEVER",
    expiryMonths: 12,
    expiryReminderDays: 14,
    birthdayRewardId: null,
    winbackDays: 90,
    soClosePercent: 10,
    spendPointsDays: 30,
    milestones: "[1000,5000,10000]",
    transactionalToAll: true,
    dailyCap: 2,
    conversionDays: 7,
    emailEnabled: false,
    flowEnabled: true,
    smtpHost: null,
    smtpPort: 587,
    smtpSecure: false,
    smtpUser: null,
    smtpPasswordEncrypted: null,
    fromAddress: null,
    updatedAt: new Date(0),
  };
}

export async function automationSettings(db: Db | Tx, shopId: string): Promise<AutomationSettings> {
  return (await db.automationSettings.findUnique({ where: { shopId } })) ?? defaultAutomationSettings(shopId);
}

export function milestoneList(settings: Pick<AutomationSettings, "milestones">): number[] {
  try {
    const value: unknown = JSON.parse(settings.milestones);
    return Array.isArray(value) ? value.map(Number).filter((n) => Number.isSafeInteger(n) && n > 0).sort((a, b) => a - b) : [];
  } catch {
    return [];
  }
}

/** Ledger kinds that count as the member doing something (automatic credits do not). */
export const ACTIVITY_KINDS = ["ORDER_EARN", "REDEMPTION", "WELCOME", "ADJUSTMENT", "IMPORT"] as const;

export async function lastActivityAt(db: Db | Tx, memberId: string): Promise<Date | null> {
  const latest = await db.ledgerEntry.findFirst({
    where: { memberId, kind: { in: [...ACTIVITY_KINDS] } },
    orderBy: { occurredAt: "desc" },
    select: { occurredAt: true },
  });
  return latest?.occurredAt ?? null;
}

/** The calendar date of an instant in a time zone, as numbers. */
export function localDate(at: Date, timeZone: string): { year: number; month: number; day: number } {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get("year"), month: get("month"), day: get("day") };
}
