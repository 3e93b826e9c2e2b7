import type { Db } from "../db.server";
import { automationSettings, lastActivityAt } from "./automation-settings.server";
import { expiredPoints, expiryIdempotencyKey, expiryReason, expiryReminderKey, nextExpiry, type ExpiryPolicy } from "./expiry";
import { appendEntry } from "./ledger.server";
import { queueMessage } from "./notifications.server";
import { writeTransaction } from "./transaction.server";

const DAY = 86_400_000;

/**
 * Expires a member's points that are due at `now` (one EXPIRY ledger entry, FIFO, with an
 * idempotency key per expiry date) and queues the reminder when the next expiry is within the
 * merchant's reminder window (once per expiry date).
 */
export async function runMemberExpiry(db: Db, memberId: string, now: Date): Promise<{ expired: number; expiredPoints: number; reminders: number }> {
  return writeTransaction(db, async (tx) => {
    const member = await tx.member.findUnique({ where: { id: memberId }, include: { shop: { include: { program: true } } } });
    const counts = { expired: 0, expiredPoints: 0, reminders: 0 };
    if (!member || member.redactedAt || !member.shop.program || member.balance <= 0) return counts;
    const settings = await automationSettings(tx, member.shopId);
    const policy: ExpiryPolicy = { mode: settings.expiryMode, months: settings.expiryMonths };
    if (policy.mode === "NEVER") return counts;
    const credits = await tx.ledgerEntry.findMany({
      where: { memberId, remaining: { gt: 0 } },
      select: { id: true, occurredAt: true, remaining: true, expiresAt: true },
    });
    const activity = await lastActivityAt(tx, memberId);
    const due = expiredPoints(policy, credits, activity, now);
    if (due && due.points > 0) {
      const key = expiryIdempotencyKey(member.shop.domain, member.id, policy.mode, due.at);
      const done = await tx.ledgerEntry.findUnique({ where: { idempotencyKey: key }, select: { id: true } });
      if (!done) {
        await appendEntry(tx, member, member.shop.program.negativeBalancePolicy, {
          kind: "EXPIRY",
          points: -due.points,
          qualifying: false,
          reason: expiryReason(policy),
          sourceType: "expiry",
          idempotencyKey: key,
          occurredAt: now,
        });
        counts.expired = 1;
        counts.expiredPoints = due.points;
      }
    }
    const remainingCredits = counts.expired
      ? await tx.ledgerEntry.findMany({ where: { memberId, remaining: { gt: 0 } }, select: { id: true, occurredAt: true, remaining: true, expiresAt: true } })
      : credits;
    const next = nextExpiry(policy, remainingCredits, activity, now);
    if (next && next.points > 0 && next.at.getTime() - now.getTime() <= settings.expiryReminderDays * DAY) {
      const queued = await queueMessage(tx, {
        shopId: member.shopId,
        memberId,
        trigger: "points_expiring",
        dedupeKey: expiryReminderKey(memberId, next.at),
        data: { points: next.points, expiresAt: next.at.toISOString() },
        now,
      });
      if (queued) counts.reminders = 1;
    }
    return counts;
  });
}
