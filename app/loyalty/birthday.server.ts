import type { Db } from "../db.server";
import { automationSettings, localDate } from "./automation-settings.server";
import { appendEntry } from "./ledger.server";
import { isLeapYear } from "./period";
import { queueMessage } from "./notifications.server";
import { grantReward } from "./redemptions.server";
import { writeTransaction } from "./transaction.server";

/** "1990-05-20", "05-20" or "--05-20" (vCard) -> month and day; anything else -> null. */
export function parseBirthday(text: string | null): { month: number; day: number } | null {
  const match = /^(?:\d{4}-|--)?(\d{2})-(\d{2})$/.exec(text?.trim() ?? "");
  if (!match) return null;
  const month = Number(match[1]);
  const day = Number(match[2]);
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return { month, day };
}

/** Days since this year's birthday in the shop's calendar (negative: still to come). Feb 29 is Feb 28 in other years. */
export function daysSinceBirthday(birthday: { month: number; day: number }, today: { year: number; month: number; day: number }): number {
  const day = birthday.month === 2 && birthday.day === 29 && !isLeapYear(today.year) ? 28 : birthday.day;
  return Math.round((Date.UTC(today.year, today.month - 1, today.day) - Date.UTC(today.year, birthday.month - 1, day)) / 86_400_000);
}

/** A scheduler down on the day still gives the gift this many days late, never twice. */
export const BIRTHDAY_GRACE_DAYS = 7;

/**
 * On the member's birthday in the shop's time zone: the BIRTHDAY rule's points (not counting
 * toward tiers) or the merchant's birthday reward as a free code, and the happy-birthday message;
 * once per member and year (the idempotency key holds the local year).
 */
export async function runMemberBirthday(db: Db, memberId: string, now: Date): Promise<{ granted: number }> {
  return writeTransaction(db, async (tx) => {
    const member = await tx.member.findUnique({
      where: { id: memberId },
      include: { shop: { include: { program: true, earningRules: { where: { kind: "BIRTHDAY" } } } } },
    });
    const birthday = parseBirthday(member?.birthday ?? null);
    if (!member || !birthday || member.redactedAt || !member.shop.program?.active) return { granted: 0 };
    const today = localDate(now, member.shop.timezone);
    const since = daysSinceBirthday(birthday, today);
    if (since < 0 || since > BIRTHDAY_GRACE_DAYS) return { granted: 0 };
    const key = `birthday:${member.shop.domain}:${member.id}:${today.year}`;
    if (await tx.ledgerEntry.findUnique({ where: { idempotencyKey: key }, select: { id: true } })) return { granted: 0 };
    if (await tx.redemption.findUnique({ where: { shopId_requestId: { shopId: member.shopId, requestId: key } }, select: { id: true } })) return { granted: 0 };
    const settings = await automationSettings(tx, member.shopId);
    let points = 0;
    let rewardName: string | null = null;
    if (settings.birthdayRewardId) {
      const granted = await grantReward(tx, member.shopId, member.id, settings.birthdayRewardId, key, now);
      if (!granted) return { granted: 0 };
      rewardName = (JSON.parse(granted.terms) as { name: string }).name;
    } else {
      const rule = member.shop.earningRules.find((r) => r.active && r.points > 0);
      if (!rule) return { granted: 0 };
      points = rule.points;
      await appendEntry(tx, member, member.shop.program.negativeBalancePolicy, {
        kind: "BIRTHDAY",
        points,
        qualifying: false,
        reason: `Happy birthday ${today.year}`,
        sourceType: "rule",
        sourceId: rule.id,
        idempotencyKey: key,
        occurredAt: now,
      });
    }
    await queueMessage(tx, {
      shopId: member.shopId,
      memberId,
      trigger: "happy_birthday",
      dedupeKey: `happy_birthday:${memberId}:${today.year}`,
      data: { points, reward: rewardName },
      now,
    });
    return { granted: 1 };
  });
}
