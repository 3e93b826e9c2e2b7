import type { Member } from "@prisma/client";
import type { Db } from "../db.server";
import { enrollCustomer, memberForOrder } from "./members.server";
import { recordOrderFacts, recordRefund } from "./orders.server";
import { reconcileMember } from "./reconcile.server";
import { markCodesUsed } from "./redemptions.server";
import { loadShopContext } from "./shop-context.server";
import { writeTransaction } from "./transaction.server";
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
  return writeTransaction(db, async (tx) => {
    const ctx = await loadShopContext(tx, delivery.shopDomain);
    if (!ctx || ctx.shop.uninstalledAt) return { status: "unknown_shop" } as const;
    const seen = await tx.webhookDelivery.findUnique({
      where: { shopId_dedupeKey: { shopId: ctx.shop.id, dedupeKey: delivery.dedupeKey } },
      select: { id: true },
    });
    if (seen) return { status: "duplicate" } as const;
    await tx.webhookDelivery.create({
      data: {
        shopId: ctx.shop.id,
        dedupeKey: delivery.dedupeKey,
        topic: delivery.topic,
        webhookId: delivery.webhookId ?? null,
        triggeredAt: delivery.triggeredAt ?? null,
        outcome: "processed",
      },
    });

    let member: Member | null = null;
    if (event.type === "customer") {
      member = await enrollCustomer(tx, ctx, event.customer, now);
    } else if (event.type === "order") {
      member = await memberForOrder(tx, ctx, event.order.customer, event.order.email, now);
      const record = await recordOrderFacts(tx, ctx, event.order, member?.id ?? null);
      await markCodesUsed(tx, ctx.shop.id, event.order.discountCodes, event.order.platformOrderId, event.order.processedAt);
      if (!member && record.memberId) member = await tx.member.findUnique({ where: { id: record.memberId } });
    } else {
      const record = await recordRefund(tx, ctx, event.platformOrderId, event.refund);
      if (record.memberId) member = await tx.member.findUnique({ where: { id: record.memberId } });
    }
    if (member) member = await reconcileMember(tx, ctx, member, now);
    return { status: "processed", member } as const;
  });
}
