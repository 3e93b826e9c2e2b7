import type { Db } from "../db.server";
import { appendEntry } from "./ledger.server";
import { reconcileMember } from "./reconcile.server";
import { loadShopContext } from "./shop-context.server";
import { enqueue } from "./outbox.server";
import { writeTransaction } from "./transaction.server";

export type AdjustResult = { ok: true; applied: number; replayed: boolean } | { ok: false; reason: "unknown_member" };

/**
 * A staff member's manual change of a member's points, with the reason and who made it. The
 * request id makes it idempotent: the same form submitted twice adjusts once. It counts toward
 * tiers like any other credit, so the member's tier is brought in line in the same transaction.
 */
export async function adjustPoints(
  db: Db,
  command: { shopDomain: string; memberId: string; points: number; reason: string; staff: string; requestId: string },
  now = new Date(),
): Promise<AdjustResult> {
  return writeTransaction(db, async (tx) => {
    const ctx = await loadShopContext(tx, command.shopDomain);
    const member = ctx ? await tx.member.findFirst({ where: { id: command.memberId, shopId: ctx.shop.id, redactedAt: null } }) : null;
    if (!ctx || !member) return { ok: false, reason: "unknown_member" };
    const key = `adjust:${ctx.shop.domain}:${command.requestId}`;
    const existing = await tx.ledgerEntry.findUnique({ where: { idempotencyKey: key } });
    if (existing) return { ok: true, applied: existing.points, replayed: true };
    const { applied } = await appendEntry(tx, member, ctx.program.negativeBalancePolicy, {
      kind: "ADJUSTMENT",
      points: command.points,
      qualifying: true,
      reason: command.reason,
      sourceType: "manual",
      sourceId: command.requestId,
      createdBy: command.staff,
      idempotencyKey: key,
      occurredAt: now,
    });
    await reconcileMember(tx, ctx, member, now);
    return { ok: true, applied, replayed: false };
  });
}

/** Gives the member a tier until `endsAt` (see reconcileMember), or removes the override. */
export async function setTierOverride(
  db: Db,
  command: { shopDomain: string; memberId: string; tierId: string | null; endsAt: Date | null; reason: string; staff: string },
  now = new Date(),
): Promise<{ ok: boolean }> {
  return writeTransaction(db, async (tx) => {
    const ctx = await loadShopContext(tx, command.shopDomain);
    const member = ctx ? await tx.member.findFirst({ where: { id: command.memberId, shopId: ctx.shop.id, redactedAt: null } }) : null;
    if (!ctx || !member) return { ok: false };
    if (command.tierId && command.endsAt) {
      const data = { tierId: command.tierId, endsAt: command.endsAt, reason: command.reason, createdBy: command.staff };
      await tx.tierOverride.upsert({ where: { memberId: member.id }, create: { shopId: ctx.shop.id, memberId: member.id, ...data }, update: data });
      if (member.tierId !== command.tierId) {
        await tx.tierChange.create({
          data: { shopId: ctx.shop.id, memberId: member.id, fromTierId: member.tierId, toTierId: command.tierId, direction: "OVERRIDE", reason: `override by ${command.staff}: ${command.reason}` },
        });
        await tx.member.update({ where: { id: member.id }, data: { tierId: command.tierId, tierSince: now } });
        await enqueue(tx, ctx.shop.id, "tier.changed", { memberId: member.id, platformCustomerId: member.platformCustomerId, fromTierId: member.tierId, toTierId: command.tierId, direction: "OVERRIDE" });
      }
    } else {
      await tx.tierOverride.deleteMany({ where: { memberId: member.id } });
      // Without the override the member's own history decides again.
      await reconcileMember(tx, ctx, member, now);
    }
    return { ok: true };
  });
}

/**
 * Ends tier overrides whose date has passed: each member gets the tier their own history earns
 * again, with its tier change and sync. Idempotent; meant for the scheduler (and safe to run from
 * anywhere at any time).
 */
export async function endExpiredTierOverrides(db: Db, now = new Date()) {
  const ended = await db.tierOverride.findMany({ where: { endsAt: { lte: now } }, select: { id: true, memberId: true, shopId: true } });
  for (const override of ended) {
    await writeTransaction(db, async (tx) => {
      const still = await tx.tierOverride.findUnique({ where: { id: override.id } });
      if (!still || still.endsAt > now) return;
      await tx.tierOverride.delete({ where: { id: override.id } });
      const shop = await tx.shop.findUniqueOrThrow({ where: { id: override.shopId }, select: { domain: true } });
      const ctx = await loadShopContext(tx, shop.domain);
      const member = await tx.member.findUnique({ where: { id: override.memberId } });
      if (ctx && member) await reconcileMember(tx, ctx, member, now);
    });
  }
  return ended.length;
}
