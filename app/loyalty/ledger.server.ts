import type { LedgerKind, Member, NegativeBalancePolicy } from "@prisma/client";
import type { Db, Tx } from "../db.server";
import type { Sql } from "../db/sql.server";
import { sqlOf } from "./transaction.server";

/**
 * The only writer of LedgerEntry. Every entry updates the member's cached balance and lifetime
 * points in the same transaction, and keeps the FIFO remainders so that
 * sum(remaining) == max(balance, 0) always holds (checked by recomputeMember).
 */

export interface EntryInput {
  kind: LedgerKind;
  /** Signed points asked for; a debit may be partly waived under the floor-at-zero policy. */
  points: number;
  qualifying: boolean;
  reason: string;
  sourceType: string;
  sourceId?: string | null;
  orderId?: string | null;
  createdBy?: string | null;
  idempotencyKey: string;
  occurredAt: Date;
  expiresAt?: Date | null;
}

export interface MemberBalance {
  id: string;
  shopId: string;
  balance: number;
  lifetimePoints: number;
}

export async function appendEntry(
  tx: Tx,
  member: MemberBalance,
  policy: NegativeBalancePolicy,
  input: EntryInput,
): Promise<{ applied: number; waived: number }> {
  if (!Number.isSafeInteger(input.points) || input.points === 0) {
    throw new Error(`ledger entry needs a non-zero integer of points, got ${input.points}`);
  }
  const sql = sqlOf(tx);
  let applied = input.points;
  let waived = 0;
  let remaining = 0;
  if (input.points > 0) {
    const debt = Math.max(0, -member.balance);
    remaining = Math.max(0, input.points - debt);
  } else {
    const asked = -input.points;
    const available = Math.max(0, member.balance);
    const taken = policy === "FLOOR_AT_ZERO" ? Math.min(asked, available) : asked;
    applied = -taken;
    waived = asked - taken;
    consumeFifo(sql, member.id, Math.min(taken, available));
  }
  const now = new Date();
  sql.insert("LedgerEntry", {
    shopId: member.shopId,
    memberId: member.id,
    kind: input.kind,
    points: applied,
    waivedPoints: waived,
    qualifying: input.qualifying,
    reason: input.reason,
    sourceType: input.sourceType,
    sourceId: input.sourceId ?? null,
    orderId: input.orderId ?? null,
    createdBy: input.createdBy ?? null,
    idempotencyKey: input.idempotencyKey,
    occurredAt: input.occurredAt,
    expiresAt: input.expiresAt ?? null,
    remaining,
  }, now);
  const lifetimeDelta = input.qualifying ? input.points : 0;
  member.balance += applied;
  member.lifetimePoints += lifetimeDelta;
  if (applied !== 0 || lifetimeDelta !== 0) {
    sql.run(
      `UPDATE "Member" SET "balance" = "balance" + ?, "lifetimePoints" = "lifetimePoints" + ?, "updatedAt" = ? WHERE "id" = ?`,
      applied, lifetimeDelta, now, member.id,
    );
  }
  return { applied, waived };
}

/** Takes `points` from the oldest unspent credits first. */
function consumeFifo(sql: Sql, memberId: string, points: number) {
  let left = points;
  while (left > 0) {
    const credits = sql.all<{ id: string; remaining: number }>(
      `SELECT "id", "remaining" FROM "LedgerEntry" WHERE "memberId" = ? AND "remaining" > 0
       ORDER BY "occurredAt" ASC, "createdAt" ASC, "id" ASC LIMIT 50`,
      memberId,
    );
    if (credits.length === 0) return;
    for (const credit of credits) {
      const take = Math.min(left, credit.remaining);
      sql.run(`UPDATE "LedgerEntry" SET "remaining" = ? WHERE "id" = ?`, credit.remaining - take, credit.id);
      left -= take;
      if (left === 0) return;
    }
  }
}

export interface Recomputed {
  balance: number;
  lifetimePoints: number;
  remaining: number;
}

/** The member's numbers derived from the ledger alone. */
export async function recomputeMember(db: Db | Tx, memberId: string): Promise<Recomputed> {
  const entries = await db.ledgerEntry.findMany({
    where: { memberId },
    select: { points: true, waivedPoints: true, qualifying: true, remaining: true },
  });
  let balance = 0;
  let lifetimePoints = 0;
  let remaining = 0;
  for (const e of entries) {
    balance += e.points;
    if (e.qualifying) lifetimePoints += e.points - e.waivedPoints;
    remaining += e.remaining;
  }
  return { balance, lifetimePoints, remaining };
}

export interface LedgerDiscrepancy {
  memberId: string;
  field: "balance" | "lifetimePoints" | "remaining" | `order:${string}`;
  cached: number;
  ledger: number;
}

/** Compares the cached columns with the ledger; an empty list means they agree. */
export async function checkMember(db: Db | Tx, member: Pick<Member, "id" | "balance" | "lifetimePoints">) {
  const truth = await recomputeMember(db, member.id);
  const problems: LedgerDiscrepancy[] = [];
  if (truth.balance !== member.balance) problems.push({ memberId: member.id, field: "balance", cached: member.balance, ledger: truth.balance });
  if (truth.lifetimePoints !== member.lifetimePoints) {
    problems.push({ memberId: member.id, field: "lifetimePoints", cached: member.lifetimePoints, ledger: truth.lifetimePoints });
  }
  if (truth.remaining !== Math.max(0, truth.balance)) {
    problems.push({ memberId: member.id, field: "remaining", cached: truth.remaining, ledger: Math.max(0, truth.balance) });
  }
  const perOrder = await db.ledgerEntry.groupBy({
    by: ["orderId", "kind"],
    where: { memberId: member.id, orderId: { not: null } },
    _sum: { points: true, waivedPoints: true },
  });
  const orders = await db.orderRecord.findMany({
    where: { memberId: member.id },
    select: { id: true, platformOrderId: true, earnedPoints: true, reversedPoints: true },
  });
  for (const order of orders) {
    const asked = (kind: string) => {
      const row = perOrder.find((r) => r.orderId === order.id && r.kind === kind);
      return (row?._sum.points ?? 0) - (row?._sum.waivedPoints ?? 0);
    };
    if (asked("ORDER_EARN") !== order.earnedPoints) {
      problems.push({ memberId: member.id, field: `order:${order.platformOrderId}:earned`, cached: order.earnedPoints, ledger: asked("ORDER_EARN") });
    }
    if (-asked("ORDER_REVERSAL") !== order.reversedPoints) {
      problems.push({ memberId: member.id, field: `order:${order.platformOrderId}:reversed`, cached: order.reversedPoints, ledger: -asked("ORDER_REVERSAL") });
    }
  }
  return problems;
}
