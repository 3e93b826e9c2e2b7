import type { Db } from "../db.server";
import { automationSettings } from "../loyalty/automation-settings.server";

const DAY = 86_400_000;

export interface MemberMessage {
  id: string;
  trigger: string;
  status: string;
  reason: string | null;
  variant: string;
  subject: string | null;
  toAddress: string | null;
  queuedAt: Date;
  sentAt: Date | null;
  openedAt: Date | null;
  clickedAt: Date | null;
}

/** A member's automated messages, newest first: what was sent, or skipped and why. */
export async function listMemberMessages(db: Db, memberId: string, take = 100): Promise<MemberMessage[]> {
  return db.messageLog.findMany({
    where: { memberId },
    orderBy: [{ queuedAt: "desc" }, { id: "desc" }],
    take,
    select: { id: true, trigger: true, status: true, reason: true, variant: true, subject: true, toAddress: true, queuedAt: true, sentAt: true, openedAt: true, clickedAt: true },
  });
}

export interface VariantStats {
  trigger: string;
  variant: string;
  sends: number;
  opens: number;
  clicks: number;
  conversions: number;
}

/**
 * Sends, opens (pixel), clicks (redirect) and conversions (the member placed an order within the
 * merchant's conversion window after the send) per trigger and variant.
 */
export async function messageStats(db: Db, shopId: string): Promise<VariantStats[]> {
  const settings = await automationSettings(db, shopId);
  const sent = await db.messageLog.findMany({
    where: { shopId, status: "SENT" },
    select: { trigger: true, variant: true, memberId: true, sentAt: true, openedAt: true, clickedAt: true },
  });
  const memberIds = [...new Set(sent.map((s) => s.memberId))];
  const orders = memberIds.length
    ? await db.orderRecord.findMany({ where: { shopId, memberId: { in: memberIds }, cancelledAt: null }, select: { memberId: true, processedAt: true } })
    : [];
  const ordersByMember = new Map<string, number[]>();
  for (const o of orders) if (o.memberId && o.processedAt) ordersByMember.set(o.memberId, [...(ordersByMember.get(o.memberId) ?? []), o.processedAt.getTime()]);
  const window = settings.conversionDays * DAY;
  const stats = new Map<string, VariantStats>();
  for (const s of sent) {
    const key = `${s.trigger}/${s.variant}`;
    const row = stats.get(key) ?? { trigger: s.trigger, variant: s.variant, sends: 0, opens: 0, clicks: 0, conversions: 0 };
    row.sends++;
    if (s.openedAt) row.opens++;
    if (s.clickedAt) row.clicks++;
    const at = s.sentAt!.getTime();
    if ((ordersByMember.get(s.memberId) ?? []).some((t) => t > at && t <= at + window)) row.conversions++;
    stats.set(key, row);
  }
  return [...stats.values()].sort((a, b) => a.trigger.localeCompare(b.trigger) || a.variant.localeCompare(b.variant));
}

/** The open pixel and the click redirect record the first open and click of a message. */
export async function recordOpen(db: Db, messageId: string, at: Date) {
  await db.messageLog.updateMany({ where: { id: messageId, openedAt: null }, data: { openedAt: at } });
}

export async function recordClick(db: Db, messageId: string, at: Date) {
  await db.messageLog.updateMany({ where: { id: messageId, clickedAt: null }, data: { clickedAt: at } });
  // A click implies the message was opened, even when images were blocked.
  await db.messageLog.updateMany({ where: { id: messageId, openedAt: null }, data: { openedAt: at } });
}

export async function unsubscribeMember(db: Db, memberId: string) {
  const member = await db.member.findUnique({ where: { id: memberId }, select: { id: true, shopId: true } });
  if (!member) return false;
  await db.messageOptOut.upsert({ where: { memberId }, create: { memberId, shopId: member.shopId }, update: {} });
  return true;
}
