import type { Tx } from "../db.server";
import { sqlOf } from "./transaction.server";
import type { OutboxKind } from "./outbox.server";

/**
 * What the program tells a member about. The core only records that a message is due (a
 * MessageLog row, once per dedupe key, in the transaction of the change that causes it) and puts
 * its delivery in the outbox; app/messages decides consent, frequency and content, and sends.
 */
export const TRIGGERS = [
  "welcome",
  "points_earned",
  "tier_unlocked",
  "tier_lost",
  "so_close",
  "spend_points",
  "thanks_for_redeeming",
  "points_expiring",
  "happy_birthday",
  "we_miss_you",
  "milestone",
] as const;
export type Trigger = (typeof TRIGGERS)[number];

/** Marketing messages need the member's consent; the others follow the merchant's setting. */
export const MARKETING_TRIGGERS: ReadonlySet<Trigger> = new Set<Trigger>(["so_close", "spend_points", "we_miss_you", "happy_birthday"]);

/** The outbox kinds this module writes. */
export const MESSAGE_OUTBOX_KINDS: OutboxKind[] = ["message.send", "flow.trigger"];

export function isTrigger(value: string): value is Trigger {
  return (TRIGGERS as readonly string[]).includes(value);
}

export interface MessageData {
  [key: string]: string | number | null;
}

/** Records a message for a member once per `dedupeKey`; returns false if it was already recorded. */
export async function queueMessage(
  tx: Tx,
  input: { shopId: string; memberId: string; trigger: Trigger; dedupeKey: string; data: MessageData; now: Date },
): Promise<boolean> {
  const sql = sqlOf(tx);
  if (sql.get(`SELECT 1 FROM "MessageLog" WHERE "shopId" = ? AND "dedupeKey" = ?`, input.shopId, input.dedupeKey)) return false;
  const log = sql.insert<{ id: string }>("MessageLog", {
    shopId: input.shopId,
    memberId: input.memberId,
    trigger: input.trigger,
    dedupeKey: input.dedupeKey,
    marketing: MARKETING_TRIGGERS.has(input.trigger),
    data: JSON.stringify(input.data),
    queuedAt: input.now,
  });
  // Due at the caller's clock (not the database's), so that time-travel replays deliver in order.
  for (const kind of MESSAGE_OUTBOX_KINDS) {
    sql.insert("OutboxMessage", { shopId: input.shopId, kind, payload: JSON.stringify({ messageId: log.id }), nextAttemptAt: input.now, createdAt: input.now });
  }
  return true;
}
