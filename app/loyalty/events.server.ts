import type { Member } from "@prisma/client";
import type { Db, Tx } from "../db.server";
import { enrollCustomer, memberForOrder } from "./members.server";
import { recordOrderFacts, recordRefund } from "./orders.server";
import { reconcileMember } from "./reconcile.server";
import { markCodesUsed } from "./redemptions.server";
import { loadShopContextInTransaction, type ShopContext } from "./shop-context.server";
import { isRetryable, sqlOf, writeTransaction } from "./transaction.server";
import type { LoyaltyEvent } from "./types";

export interface Delivery {
  shopDomain: string;
  /** Unique per platform event: Shopify's X-Shopify-Event-Id, WooCommerce's resource + modified time. */
  dedupeKey: string;
  topic: string;
  webhookId?: string | null;
  triggeredAt?: Date | null;
}

export type EventOutcome =
  | { status: "processed"; member: Member | null }
  | { status: "duplicate" }
  | { status: "unknown_shop" };

export interface EventItem {
  delivery: Delivery;
  event: LoyaltyEvent;
}

export type BatchOutcome = EventOutcome | { status: "failed"; error: unknown };

/**
 * The one door for platform events: records the delivery and does all of its ledger work in one
 * transaction, so a delivery is either fully applied and remembered, or not at all (and the
 * platform's retry applies it). Duplicates and reorderings converge; see reconcileMember.
 */
export async function processEvent(db: Db, delivery: Delivery, event: LoyaltyEvent, now = new Date()): Promise<EventOutcome> {
  // Retries are common (Shopify retries anything slow); answer them without taking the write lock.
  const known = await db.webhookDelivery.findFirst({
    where: { dedupeKey: delivery.dedupeKey, shop: { domain: delivery.shopDomain } },
    select: { id: true },
  });
  if (known) return { status: "duplicate" };
  const [outcome] = await processEvents(db, [{ delivery, event }], now);
  if (outcome.status === "failed") throw outcome.error;
  return outcome;
}

/**
 * Applies many events in one write transaction, in the order given, each as if alone: each runs
 * in its own savepoint, so one that fails is undone by itself (its outcome says "failed") and the
 * others are kept. One commit for many events is what lets a burst of webhooks be applied at the
 * rate they arrive (the webhook inbox drains this way).
 */
export async function processEvents(db: Db, items: EventItem[], now = new Date()): Promise<BatchOutcome[]> {
  return writeTransaction(db, async (tx) => {
    const sql = sqlOf(tx);
    const contexts = new Map<string, ShopContext | null>();
    const outcomes: BatchOutcome[] = [];
    for (const { delivery, event } of items) {
      if (!contexts.has(delivery.shopDomain)) contexts.set(delivery.shopDomain, loadShopContextInTransaction(tx, delivery.shopDomain));
      const ctx = contexts.get(delivery.shopDomain)!;
      sql.run("SAVEPOINT tierwise_event");
      try {
        outcomes.push(await applyEvent(tx, ctx, delivery, event, now));
        sql.run("RELEASE tierwise_event");
      } catch (error) {
        sql.run("ROLLBACK TO tierwise_event");
        sql.run("RELEASE tierwise_event");
        // A lost race or a busy database is retried as a whole by writeTransaction.
        if (isRetryable(error)) throw error;
        outcomes.push({ status: "failed", error });
      }
    }
    return outcomes;
  });
}

async function applyEvent(tx: Tx, ctx: ShopContext | null, delivery: Delivery, event: LoyaltyEvent, now: Date): Promise<EventOutcome> {
  if (!ctx || ctx.shop.uninstalledAt) return { status: "unknown_shop" };
  const sql = sqlOf(tx);
  const seen = sql.get(`SELECT 1 FROM "WebhookDelivery" WHERE "shopId" = ? AND "dedupeKey" = ?`, ctx.shop.id, delivery.dedupeKey);
  if (seen) return { status: "duplicate" };
  sql.insert("WebhookDelivery", {
    shopId: ctx.shop.id,
    dedupeKey: delivery.dedupeKey,
    topic: delivery.topic,
    webhookId: delivery.webhookId ?? null,
    triggeredAt: delivery.triggeredAt ?? null,
    outcome: "processed",
  });

  let member: Member | null = null;
  const memberById = (id: string) => sql.one<Member>("Member", `SELECT * FROM "Member" WHERE "id" = ?`, id);
  if (event.type === "customer") {
    member = await enrollCustomer(tx, ctx, event.customer, now);
  } else if (event.type === "order") {
    member = await memberForOrder(tx, ctx, event.order.customer, event.order.email, now);
    const record = await recordOrderFacts(tx, ctx, event.order, member?.id ?? null);
    await markCodesUsed(tx, ctx.shop.id, event.order.discountCodes, event.order.platformOrderId, event.order.processedAt);
    if (!member && record.memberId) member = memberById(record.memberId);
  } else {
    const record = await recordRefund(tx, ctx, event.platformOrderId, event.refund);
    if (record.memberId) member = memberById(record.memberId);
  }
  if (member) member = await reconcileMember(tx, ctx, member, now);
  return { status: "processed", member };
}
