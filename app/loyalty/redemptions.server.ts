import type { Redemption } from "@prisma/client";
import type { Db, Tx } from "../db.server";
import { newRewardCode, normalizeCode } from "./codes";
import type { DiscountIssuer } from "./discount-issuer";
import { crashPoint } from "./crash-points.server";
import { appendEntry } from "./ledger.server";
import { queueMessage } from "./notifications.server";
import { enqueue } from "./outbox.server";
import { rewardTerms, type RewardTerms } from "./rewards";
import { sqlOf, writeTransaction } from "./transaction.server";

const DAY = 86_400_000;

export type RedeemFailure =
  | "unknown_member"
  | "reward_unavailable"
  | "invalid_points"
  | "tier_required"
  | "insufficient_points"
  | "request_conflict";

export type RedeemResult = { ok: true; redemption: Redemption; replayed: boolean } | { ok: false; reason: RedeemFailure };

export interface RedeemCommand {
  shopDomain: string;
  memberId: string;
  rewardId: string;
  /** The client's id for this request: the same id returns the same redemption. */
  requestId: string;
  /** For "any amount" rewards: how many points to spend. */
  points?: number;
}

/**
 * Debits the points and creates a pending redemption with its code, in one transaction. The write
 * lock taken at the start of the transaction serializes redemptions, so the balance check and the
 * debit see the same balance: it can never go below zero, whatever the concurrency.
 * The platform code is created afterwards by issueRedemption (through the outbox).
 */
export async function redeem(db: Db, command: RedeemCommand, now = new Date()): Promise<RedeemResult> {
  return writeTransaction(db, async (tx) => {
    const shop = await tx.shop.findUnique({ where: { domain: command.shopDomain }, include: { program: true } });
    if (!shop?.program) return { ok: false, reason: "unknown_member" } as const;
    const previous = await tx.redemption.findUnique({ where: { shopId_requestId: { shopId: shop.id, requestId: command.requestId } } });
    if (previous) {
      if (previous.memberId !== command.memberId) return { ok: false, reason: "request_conflict" } as const;
      return { ok: true, redemption: previous, replayed: true } as const;
    }
    const member = await tx.member.findFirst({ where: { id: command.memberId, shopId: shop.id, redactedAt: null } });
    if (!member) return { ok: false, reason: "unknown_member" } as const;
    const reward = await tx.reward.findFirst({ where: { id: command.rewardId, shopId: shop.id } });
    if (!reward) return { ok: false, reason: "reward_unavailable" } as const;
    const priced = rewardTerms(reward, shop.currency, command.points);
    if (!priced.ok) return priced;
    if (reward.minimumTierId) {
      const [required, held] = await Promise.all([
        tx.tier.findUnique({ where: { id: reward.minimumTierId } }),
        member.tierId ? tx.tier.findUnique({ where: { id: member.tierId } }) : null,
      ]);
      if (required && (!held || held.threshold < required.threshold)) return { ok: false, reason: "tier_required" } as const;
    }
    const cost = priced.terms.pointsCost;
    if (member.balance < cost) return { ok: false, reason: "insufficient_points" } as const;

    const redemption = await createPendingRedemption(tx, shop, {
      memberId: member.id,
      rewardId: reward.id,
      requestId: command.requestId,
      terms: priced.terms,
      now,
    });
    await appendEntry(tx, member, shop.program.negativeBalancePolicy, {
      kind: "REDEMPTION",
      points: -cost,
      qualifying: false,
      reason: `Redeemed ${priced.terms.name}`,
      sourceType: "redemption",
      sourceId: redemption.id,
      idempotencyKey: `redeem:${shop.domain}:${command.requestId}`,
      occurredAt: now,
    });
    return { ok: true, redemption, replayed: false } as const;
  });
}

/** The redemption row with a fresh unique code, and the outbox message that creates the code. */
async function createPendingRedemption(
  tx: Tx,
  shop: { id: string; codePrefix: string },
  input: { memberId: string; rewardId: string; requestId: string; terms: RewardTerms; now: Date },
) {
  let code = newRewardCode(shop.codePrefix);
  while (await tx.redemption.findUnique({ where: { shopId_code: { shopId: shop.id, code } } })) code = newRewardCode(shop.codePrefix);
  const redemption = await tx.redemption.create({
    data: {
      shopId: shop.id,
      memberId: input.memberId,
      rewardId: input.rewardId,
      requestId: input.requestId,
      pointsSpent: input.terms.pointsCost,
      terms: JSON.stringify(input.terms),
      code,
      expiresAt: new Date(input.now.getTime() + input.terms.codeExpiryDays * DAY),
      createdAt: input.now,
    },
  });
  await enqueue(tx, shop.id, "redemption.issue", { redemptionId: redemption.id });
  return redemption;
}

/**
 * A reward given free (no points), e.g. a tier's entry reward: a pending redemption with its code,
 * issued through the outbox like any other. The request id makes it happen once.
 */
export async function grantReward(tx: Tx, shopId: string, memberId: string, rewardId: string, requestId: string, now: Date) {
  const existing = await tx.redemption.findUnique({ where: { shopId_requestId: { shopId, requestId } } });
  if (existing) return existing;
  const shop = await tx.shop.findUniqueOrThrow({ where: { id: shopId } });
  const reward = await tx.reward.findFirst({ where: { id: rewardId, shopId } });
  if (!reward) return null;
  const priced = rewardTerms(reward, shop.currency, undefined, "grant");
  if (!priced.ok) return null;
  return createPendingRedemption(tx, shop, { memberId, rewardId, requestId, terms: priced.terms, now });
}

/** Gives a redemption's points back, once per `why` (the idempotency key); a free grant has none. */
async function returnPoints(tx: Tx, redemption: Redemption, why: "refund" | "expired", reason: string, now: Date) {
  if (redemption.pointsSpent === 0) return;
  const shop = await tx.shop.findUniqueOrThrow({ where: { id: redemption.shopId }, include: { program: true } });
  const member = await tx.member.findUniqueOrThrow({ where: { id: redemption.memberId } });
  await appendEntry(tx, member, shop.program?.negativeBalancePolicy ?? "FLOOR_AT_ZERO", {
    kind: "REDEMPTION_REFUND",
    points: redemption.pointsSpent,
    qualifying: false,
    reason,
    sourceType: "redemption",
    sourceId: redemption.id,
    idempotencyKey: `redeem:${shop.domain}:${redemption.requestId}:${why}`,
    occurredAt: now,
  });
}

/** Marks a redemption failed and gives its points back. */
async function compensate(tx: Tx, redemption: Redemption, reason: string, now: Date) {
  await tx.redemption.update({ where: { id: redemption.id }, data: { status: "FAILED", failureReason: reason } });
  await returnPoints(tx, redemption, "refund", `Points returned: the reward code could not be created (${reason})`, now);
}

export type IssueOutcome = "issued" | "already_done" | "compensated" | "retry_later";

/**
 * Creates the redemption's code on the platform. Success marks it issued; a permanent refusal
 * returns the points; a transient failure leaves it pending for the next attempt or recovery.
 */
export async function issueRedemption(db: Db, redemptionId: string, issuer: DiscountIssuer, now = new Date()): Promise<IssueOutcome> {
  const redemption = await db.redemption.findUnique({ where: { id: redemptionId }, include: { member: true } });
  if (!redemption || redemption.status !== "PENDING") return "already_done";
  await db.redemption.update({ where: { id: redemptionId }, data: { issueAttempts: { increment: 1 } } });
  const terms = JSON.parse(redemption.terms) as RewardTerms;
  let result;
  try {
    result = await issuer.create({
      code: redemption.code,
      title: `${terms.name} (${redemption.code})`,
      terms,
      platformCustomerId: redemption.member.platformCustomerId,
      customerEmail: redemption.member.email,
      startsAt: redemption.createdAt,
      endsAt: redemption.expiresAt,
    });
  } catch {
    return "retry_later";
  }
  if (result.ok) crashPoint("redemption:after-platform-create");
  return finishIssue(db, redemptionId, result, now);
}

async function finishIssue(
  db: Db,
  redemptionId: string,
  result: Awaited<ReturnType<DiscountIssuer["create"]>>,
  now: Date,
): Promise<IssueOutcome> {
  return writeTransaction(db, async (tx) => {
    const current = await tx.redemption.findUniqueOrThrow({ where: { id: redemptionId } });
    if (current.status !== "PENDING") return "already_done";
    if (result.ok) {
      await tx.redemption.update({
        where: { id: redemptionId },
        data: { status: "ISSUED", platformDiscountId: result.platformDiscountId, issuedAt: now },
      });
      // issue 8: thanked once the code exists on the platform (free grants are not "redeeming").
      if (current.pointsSpent > 0) {
        const terms = JSON.parse(current.terms) as RewardTerms;
        await queueMessage(tx, {
          shopId: current.shopId,
          memberId: current.memberId,
          trigger: "thanks_for_redeeming",
          dedupeKey: `redeemed:${current.id}`,
          data: { points: current.pointsSpent, reward: terms.name, code: current.code },
          now,
        });
      }
      return "issued";
    }
    await compensate(tx, current, result.reason, now);
    return "compensated";
  });
}

/**
 * Repairs redemptions left pending by a crash or an outage: a code the platform has is finished;
 * a code it does not have is created again, or after too many attempts the points go back.
 */
export async function recoverPendingRedemptions(
  db: Db,
  shopDomain: string,
  issuer: DiscountIssuer,
  options: { olderThanMs?: number; maxAttempts?: number; now?: Date } = {},
) {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - (options.olderThanMs ?? 60_000));
  const stuck = await db.redemption.findMany({
    where: { status: "PENDING", createdAt: { lte: cutoff }, shop: { domain: shopDomain } },
    orderBy: { createdAt: "asc" },
    take: 200,
  });
  const counts: Record<IssueOutcome, number> = { issued: 0, already_done: 0, compensated: 0, retry_later: 0 };
  for (const redemption of stuck) {
    let found;
    try {
      found = await issuer.find(redemption.code);
    } catch {
      counts.retry_later++;
      continue;
    }
    let outcome: IssueOutcome;
    if (found) outcome = await finishIssue(db, redemption.id, { ok: true, platformDiscountId: found.platformDiscountId }, now);
    else if (redemption.issueAttempts >= (options.maxAttempts ?? 5)) {
      outcome = await finishIssue(db, redemption.id, { ok: false, permanent: true, reason: "not created after repeated attempts" }, now);
    } else outcome = await issueRedemption(db, redemption.id, issuer, now);
    counts[outcome]++;
  }
  return counts;
}

/** An order that used Tierwise codes marks their redemptions used (in the order's transaction). */
export async function markCodesUsed(tx: Tx, shopId: string, codes: string[], platformOrderId: string, at: Date) {
  if (codes.length === 0) return 0;
  const sql = sqlOf(tx);
  let used = 0;
  for (const code of new Set(codes.map(normalizeCode))) {
    used += sql.run(
      `UPDATE "Redemption" SET "status" = 'USED', "usedAt" = ?, "usedOnOrderId" = ?
       WHERE "shopId" = ? AND "code" = ? AND "status" IN ('ISSUED', 'PENDING')`,
      at, platformOrderId, shopId, code,
    ).changes;
  }
  return used;
}

/**
 * Issued codes past their end date become EXPIRED; when the merchant chose so, their points come
 * back (once: the refund's idempotency key). The platform stops accepting the code by its endsAt.
 */
export async function expireRedemptions(db: Db, shopDomain: string, now = new Date(), batch = 200) {
  const due = await db.redemption.findMany({
    where: { status: "ISSUED", expiresAt: { lte: now }, shop: { domain: shopDomain } },
    orderBy: { expiresAt: "asc" },
    take: batch,
    select: { id: true },
  });
  let expired = 0;
  let refunded = 0;
  for (const { id } of due) {
    await writeTransaction(db, async (tx) => {
      const redemption = await tx.redemption.findUniqueOrThrow({ where: { id } });
      if (redemption.status !== "ISSUED") return;
      await tx.redemption.update({ where: { id }, data: { status: "EXPIRED" } });
      expired++;
      const program = await tx.program.findUnique({ where: { shopId: redemption.shopId } });
      if (!program?.returnPointsOnExpiredCodes || redemption.pointsSpent === 0) return;
      await returnPoints(tx, redemption, "expired", `Points returned: code ${redemption.code} expired unused`, now);
      refunded++;
    });
  }
  return { expired, refunded };
}
