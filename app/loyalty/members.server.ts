import type { Member } from "@prisma/client";
import type { Tx } from "../db.server";
import { appendEntry } from "./ledger.server";
import { queueMessage } from "./notifications.server";
import { enqueue } from "./outbox.server";
import { activeRule, type ShopContext } from "./shop-context.server";
import { sqlOf } from "./transaction.server";
import type { CustomerFacts } from "./types";

function profile(customer: CustomerFacts) {
  return {
    email: customer.email?.toLowerCase() ?? null,
    firstName: customer.firstName,
    lastName: customer.lastName,
    phone: customer.phone,
    acceptsMarketing: customer.acceptsMarketing,
  };
}

/**
 * Makes the customer a member (if they have an account) or refreshes their profile. A new member
 * gets the welcome points once, and their earlier guest orders when the merchant matches them.
 * Returns null for a customer without an account: their orders wait as guest orders.
 */
export async function enrollCustomer(tx: Tx, ctx: ShopContext, customer: CustomerFacts, now: Date): Promise<Member | null> {
  const sql = sqlOf(tx);
  const existing = sql.one<Member>("Member", `SELECT * FROM "Member" WHERE "shopId" = ? AND "platformCustomerId" = ?`, ctx.shop.id, customer.platformCustomerId);
  if (existing) {
    // A redacted member stays anonymous whatever arrives later.
    if (existing.redactedAt) return existing;
    const next = profile(customer);
    const changed = (Object.keys(next) as (keyof typeof next)[]).some((key) => existing[key] !== next[key]);
    if (!changed) return existing;
    const stamp = new Date();
    sql.update("Member", existing.id, next, stamp);
    return { ...existing, ...next, updatedAt: stamp };
  }
  if (!customer.hasAccount) return null;

  const { id } = sql.insert<{ id: string }>("Member", {
    shopId: ctx.shop.id,
    platformCustomerId: customer.platformCustomerId,
    customerCreatedAt: customer.createdAt,
    enrolledAt: now,
    ...profile(customer),
  });
  // Read back for the columns the database filled by default.
  const member = sql.one<Member>("Member", `SELECT * FROM "Member" WHERE "id" = ?`, id)!;
  const welcome = ctx.program.active ? activeRule(ctx, "SIGNUP") : null;
  if (welcome && welcome.points > 0) {
    // appendEntry keeps `member`'s balance and lifetime points current.
    await appendEntry(tx, member, ctx.program.negativeBalancePolicy, {
      kind: "WELCOME",
      points: welcome.points,
      qualifying: true,
      reason: "Welcome to the program",
      sourceType: "rule",
      sourceId: welcome.id,
      idempotencyKey: `welcome:${ctx.shop.domain}:${customer.platformCustomerId}`,
      occurredAt: customer.createdAt ?? now,
    });
  }
  await attachGuestOrders(tx, ctx, member);
  await enqueue(tx, ctx.shop.id, "member.enrolled", { memberId: member.id, platformCustomerId: member.platformCustomerId });
  // issue 8
  await queueMessage(tx, { shopId: ctx.shop.id, memberId: member.id, trigger: "welcome", dedupeKey: `welcome:${member.id}`, data: { points: welcome?.points ?? 0 }, now });
  return member;
}

/**
 * Orders placed before the customer had an account (as a guest: the same customer record without
 * an account, or the same email) are credited when the merchant enables guest-order matching.
 */
async function attachGuestOrders(tx: Tx, ctx: ShopContext, member: Member) {
  if (!ctx.program.guestOrderMatching) return;
  sqlOf(tx).run(
    `UPDATE "OrderRecord" SET "memberId" = ?, "updatedAt" = ? WHERE "shopId" = ? AND "memberId" IS NULL AND ("platformCustomerId" = ? OR "email" = ?)`,
    member.id, new Date(), ctx.shop.id, member.platformCustomerId, member.email,
  );
}

/** The member an order belongs to, if any: its customer's membership, else a member with its email. */
export async function memberForOrder(
  tx: Tx,
  ctx: ShopContext,
  customer: CustomerFacts | null,
  email: string | null,
  now: Date,
): Promise<Member | null> {
  if (customer) {
    const member = await enrollCustomer(tx, ctx, customer, now);
    if (member) return member;
  }
  const guestEmail = (email ?? customer?.email)?.toLowerCase();
  if (!ctx.program.guestOrderMatching || !guestEmail) return null;
  return sqlOf(tx).one<Member>(
    "Member",
    `SELECT * FROM "Member" WHERE "shopId" = ? AND "email" = ? AND "redactedAt" IS NULL ORDER BY "createdAt" ASC LIMIT 1`,
    ctx.shop.id, guestEmail,
  );
}

