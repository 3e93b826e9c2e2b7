import type { Db } from "../db.server";
import { enqueue } from "./outbox.server";
import { writeTransaction } from "./transaction.server";

/**
 * GDPR requests. A redacted member keeps an anonymous ledger (the shop's points liability and
 * history stay correct) while every piece of personal data is removed.
 */

export interface CustomerRef {
  platformCustomerId: string | null;
  email: string | null;
}

async function findMember(tx: Parameters<Parameters<Db["$transaction"]>[0]>[0], shopId: string, who: CustomerRef) {
  if (who.platformCustomerId) {
    const byId = await tx.member.findUnique({ where: { shopId_platformCustomerId: { shopId, platformCustomerId: who.platformCustomerId } } });
    if (byId) return byId;
  }
  if (who.email) return tx.member.findFirst({ where: { shopId, email: who.email.toLowerCase() } });
  return null;
}

/** customers/data_request: compile what we hold about the customer for the merchant to send. */
export async function compileDataRequest(db: Db, shopDomain: string, requestId: string, who: CustomerRef, orderIds: string[]) {
  return writeTransaction(db, async (tx) => {
    const shop = await tx.shop.findUnique({ where: { domain: shopDomain } });
    if (!shop) return null;
    const member = await findMember(tx, shop.id, who);
    const ledger = member
      ? await tx.ledgerEntry.findMany({
          where: { memberId: member.id },
          orderBy: { occurredAt: "asc" },
          select: { kind: true, points: true, reason: true, occurredAt: true, createdAt: true },
        })
      : [];
    const orders = await tx.orderRecord.findMany({
      where: { shopId: shop.id, OR: [{ memberId: member?.id ?? "-" }, { platformOrderId: { in: orderIds } }] },
      select: { platformOrderId: true, name: true, processedAt: true, earnedPoints: true, reversedPoints: true },
    });
    const report = {
      customer: member
        ? {
            platformCustomerId: member.platformCustomerId,
            email: member.email,
            firstName: member.firstName,
            lastName: member.lastName,
            phone: member.phone,
            birthday: member.birthday,
            acceptsMarketing: member.acceptsMarketing,
            balance: member.balance,
            lifetimePoints: member.lifetimePoints,
            enrolledAt: member.enrolledAt,
          }
        : null,
      ledger,
      orders,
    };
    const saved = await tx.dataRequest.upsert({
      where: { shopId_platformRequestId: { shopId: shop.id, platformRequestId: requestId } },
      create: { shopId: shop.id, platformRequestId: requestId, platformCustomerId: who.platformCustomerId ?? "", report: JSON.stringify(report) },
      update: {},
    });
    await enqueue(tx, shop.id, "compliance.data_request", { dataRequestId: saved.id });
    return saved;
  });
}

/** customers/redact: personal data goes, the anonymous ledger stays. */
export async function redactCustomer(db: Db, shopDomain: string, who: CustomerRef, orderIds: string[], now = new Date()) {
  return writeTransaction(db, async (tx) => {
    const shop = await tx.shop.findUnique({ where: { domain: shopDomain } });
    if (!shop) return { redactedMember: false, redactedOrders: 0 };
    const member = await findMember(tx, shop.id, who);
    if (member) {
      await tx.member.update({
        where: { id: member.id },
        data: { email: null, firstName: null, lastName: null, phone: null, birthday: null, acceptsMarketing: false, redactedAt: now },
      });
    }
    const orders = await tx.orderRecord.updateMany({
      where: {
        shopId: shop.id,
        OR: [
          ...(member ? [{ memberId: member.id }] : []),
          ...(who.platformCustomerId ? [{ platformCustomerId: who.platformCustomerId }] : []),
          ...(who.email ? [{ email: who.email.toLowerCase() }] : []),
          { platformOrderId: { in: orderIds } },
        ],
      },
      data: { email: null, name: null },
    });
    return { redactedMember: Boolean(member), redactedOrders: orders.count };
  });
}

/** shop/redact (48 hours after uninstall): everything of the shop goes. */
export async function redactShop(db: Db, shopDomain: string) {
  return writeTransaction(db, async (tx) => {
    const sessions = await tx.session.deleteMany({ where: { shop: shopDomain } });
    const shops = await tx.shop.deleteMany({ where: { domain: shopDomain } });
    return { shops: shops.count, sessions: sessions.count };
  });
}

/** app/uninstalled: stop acting for the shop; data stays until shop/redact (a reinstall resumes). */
export async function uninstallShop(db: Db, shopDomain: string, now = new Date()) {
  return writeTransaction(db, async (tx) => {
    await tx.session.deleteMany({ where: { shop: shopDomain } });
    const shop = await tx.shop.findUnique({ where: { domain: shopDomain } });
    if (!shop) return false;
    await tx.shop.update({ where: { id: shop.id }, data: { uninstalledAt: now } });
    await enqueue(tx, shop.id, "shop.uninstalled", { at: now.toISOString() });
    return true;
  });
}
