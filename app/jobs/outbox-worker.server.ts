import type { OutboxMessage } from "@prisma/client";
import type { Db } from "../db.server";

/**
 * Delivers the outbox: the slow side effects (platform API calls, messages) that webhook and
 * redemption transactions wrote beside their changes. A message is claimed by moving its
 * nextAttemptAt forward in a single conditional update (so two workers never run it at once), run,
 * and then marked delivered, or rescheduled with exponential backoff, or given up after too many
 * attempts. Handlers must be idempotent: a crash after the side effect and before the mark runs
 * the message again.
 */
export type OutboxHandler = (message: OutboxMessage, payload: Record<string, unknown>) => Promise<void>;
export type OutboxHandlers = Partial<Record<string, OutboxHandler>>;

export interface OutboxRunOptions {
  now?: Date;
  batchSize?: number;
  maxAttempts?: number;
  /** How long a claimed message is hidden from other workers while it runs. */
  leaseMs?: number;
}

export interface OutboxRunCounts {
  delivered: number;
  retried: number;
  dead: number;
  skipped: number;
}

export function backoffMs(attempts: number): number {
  return Math.min(6 * 60 * 60_000, 30_000 * 2 ** Math.max(0, attempts - 1));
}

export async function deliverOutbox(db: Db, handlers: OutboxHandlers, options: OutboxRunOptions = {}): Promise<OutboxRunCounts> {
  const now = options.now ?? new Date();
  const maxAttempts = options.maxAttempts ?? 10;
  const lease = options.leaseMs ?? 5 * 60_000;
  const counts: OutboxRunCounts = { delivered: 0, retried: 0, dead: 0, skipped: 0 };
  const due = await db.outboxMessage.findMany({
    where: { status: "PENDING", nextAttemptAt: { lte: now }, kind: { in: Object.keys(handlers) } },
    orderBy: { nextAttemptAt: "asc" },
    take: options.batchSize ?? 100,
  });
  for (const message of due) {
    const claimed = await db.outboxMessage.updateMany({
      where: { id: message.id, status: "PENDING", nextAttemptAt: message.nextAttemptAt },
      data: { nextAttemptAt: new Date(now.getTime() + lease), attempts: { increment: 1 } },
    });
    if (claimed.count === 0) {
      counts.skipped++;
      continue;
    }
    const attempts = message.attempts + 1;
    try {
      await handlers[message.kind]!(message, JSON.parse(message.payload) as Record<string, unknown>);
      await db.outboxMessage.update({ where: { id: message.id }, data: { status: "DELIVERED", deliveredAt: new Date(), lastError: null } });
      counts.delivered++;
    } catch (error) {
      const dead = attempts >= maxAttempts;
      await db.outboxMessage.update({
        where: { id: message.id },
        data: {
          status: dead ? "DEAD" : "PENDING",
          nextAttemptAt: new Date(now.getTime() + backoffMs(attempts)),
          lastError: String(error instanceof Error ? error.message : error).slice(0, 2_000),
        },
      });
      if (dead) counts.dead++;
      else counts.retried++;
    }
  }
  return counts;
}
