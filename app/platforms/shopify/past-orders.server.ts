import { z } from "zod";
import type { Db } from "../../db.server";
import { processEvent } from "../../loyalty/events.server";
import { toMinor } from "../../loyalty/money";
import type { OrderFacts } from "../../loyalty/types";
import type { AdminGraphql } from "./discount-issuer.server";

/**
 * Points for orders placed before Tierwise was installed, read with a Shopify bulk operation
 * (one query over every order, answered as a JSON Lines file). Each order goes through the same
 * processEvent as an orders/paid webhook, keyed by Shopify's order id, so running it twice, or a
 * webhook for the same order, awards it once.
 */
const RUN = `#graphql
mutation TierwisePastOrders($query: String!) {
  bulkOperationRunQuery(query: $query) { bulkOperation { id status } userErrors { field message code } }
}`;

const CURRENT = `#graphql
query TierwisePastOrdersStatus { currentBulkOperation { id status errorCode objectCount url createdAt completedAt } }`;

export const PAST_ORDERS_QUERY = `{
  orders {
    edges {
      node {
        id name processedAt cancelledAt email currencyCode displayFinancialStatus
        customer { id email firstName lastName createdAt }
        currentSubtotalPriceSet { shopMoney { amount currencyCode } }
      }
    }
  }
}`;

const orderLine = z.object({
  id: z.string().regex(/^gid:\/\/shopify\/Order\/\d+$/),
  name: z.string().nullable(),
  processedAt: z.string(),
  cancelledAt: z.string().nullable(),
  email: z.string().nullable(),
  displayFinancialStatus: z.string().nullable(),
  customer: z.object({ id: z.string(), email: z.string().nullable(), firstName: z.string().nullable(), lastName: z.string().nullable(), createdAt: z.string() }).nullable(),
  currentSubtotalPriceSet: z.object({ shopMoney: z.object({ amount: z.string(), currencyCode: z.string() }) }),
});

const AWARDED_STATUSES = new Set(["PAID", "PARTIALLY_REFUNDED"]);
const legacyId = (gid: string) => gid.split("/").pop()!;

export type StartResult = { ok: true; id: string } | { ok: false; code: "in_progress" | "refused"; message: string };

export async function startPastOrders(graphql: AdminGraphql): Promise<StartResult> {
  const response = await graphql(RUN, { variables: { query: PAST_ORDERS_QUERY } });
  const body = (await response.json()) as { data?: { bulkOperationRunQuery?: { bulkOperation: { id: string } | null; userErrors: { message: string; code: string | null }[] } }; errors?: unknown };
  const payload = body.data?.bulkOperationRunQuery;
  if (payload?.bulkOperation) return { ok: true, id: payload.bulkOperation.id };
  const error = payload?.userErrors[0];
  return { ok: false, code: error?.code === "OPERATION_IN_PROGRESS" ? "in_progress" : "refused", message: error?.message ?? JSON.stringify(body.errors ?? body) };
}

export interface PastOrdersProgress {
  status: string;
  /** Orders Shopify has read so far. */
  objectCount: number;
  /** Once the file is in: orders awarded now, already known, and skipped (unpaid, cancelled, guests). */
  awarded?: number;
  duplicate?: number;
  skipped?: number;
}

const running = new Map<string, Promise<PastOrdersProgress>>();

/** The bulk operation's state; once it completed, its orders are awarded (once per process at a time). */
export async function pastOrdersProgress(db: Db, shopDomain: string, graphql: AdminGraphql, now = new Date()): Promise<PastOrdersProgress | null> {
  const response = await graphql(CURRENT);
  const body = (await response.json()) as { data?: { currentBulkOperation: { id: string; status: string; objectCount: string; url: string | null } | null } };
  const op = body.data?.currentBulkOperation;
  if (!op) return null;
  const progress: PastOrdersProgress = { status: op.status, objectCount: Number(op.objectCount) };
  if (op.status !== "COMPLETED") return progress;
  if (!op.url) return { ...progress, awarded: 0, duplicate: 0, skipped: 0 };
  const key = `${shopDomain}|${op.id}`;
  let work = running.get(key);
  if (!work) {
    work = awardFile(db, shopDomain, op.url, progress, now).finally(() => running.delete(key));
    running.set(key, work);
  }
  return work;
}

async function awardFile(db: Db, shopDomain: string, url: string, progress: PastOrdersProgress, now: Date): Promise<PastOrdersProgress> {
  const file = await fetch(url);
  if (!file.ok) throw new Error(`bulk operation file answered ${file.status}`);
  const text = await file.text();
  let awarded = 0;
  let duplicate = 0;
  let skipped = 0;
  for (const raw of text.split("\n")) {
    if (!raw.trim()) continue;
    const parsed = orderLine.safeParse(JSON.parse(raw));
    if (!parsed.success || parsed.data.cancelledAt || !AWARDED_STATUSES.has(parsed.data.displayFinancialStatus ?? "") || !parsed.data.customer) {
      skipped += 1;
      continue;
    }
    const o = parsed.data;
    const money = o.currentSubtotalPriceSet.shopMoney;
    const processedAt = new Date(o.processedAt);
    const customer = o.customer!;
    const id = legacyId(o.id);
    // The bulk file has the order's current subtotal (after discounts and refunds), not its lines.
    const order: OrderFacts = {
      platformOrderId: id,
      name: o.name,
      currency: money.currencyCode,
      processedAt,
      sourceName: "bulk",
      customer: {
        platformCustomerId: legacyId(customer.id),
        email: customer.email,
        firstName: customer.firstName,
        lastName: customer.lastName,
        phone: null,
        hasAccount: true,
        acceptsMarketing: false,
        createdAt: new Date(customer.createdAt),
      },
      email: o.email,
      lines: [{ lineId: `${id}-subtotal`, productId: null, variantId: null, quantity: 1, netMinor: toMinor(money.amount, money.currencyCode), taxMinor: 0, giftCard: false }],
      shippingMinor: 0,
      shippingTaxMinor: 0,
      taxesIncluded: false,
      paidAt: processedAt,
      fulfilledAt: processedAt,
      cancelledAt: null,
      refunds: [],
      discountCodes: [],
    };
    // An order the app already knows (from its webhooks) keeps the facts those brought.
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: shopDomain }, select: { id: true } });
    if (await db.orderRecord.findUnique({ where: { shopId_platformOrderId: { shopId: shop.id, platformOrderId: id } } })) {
      duplicate += 1;
      continue;
    }
    const outcome = await processEvent(db, { shopDomain, dedupeKey: `past-order:${id}`, topic: "bulk/orders" }, { type: "order", order }, now);
    if ((outcome as { status?: string }).status === "duplicate") duplicate += 1;
    else awarded += 1;
  }
  return { ...progress, awarded, duplicate, skipped };
}
