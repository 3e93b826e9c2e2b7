import { z } from "zod";
import { toMinor } from "../../app/loyalty/money";
import type { CustomerFacts, OrderFacts, OrderLine, RefundFacts } from "../../app/loyalty/types";

/**
 * WooCommerce's REST (wc/v3) order and customer representations, which are also its webhook
 * bodies, turned into the core's facts. Only the fields we use are validated. Dates come as
 * "2026-11-23T10:00:00" without a zone; the *_gmt fields are UTC.
 */

const id = z.number().int().nonnegative();
const amount = z.union([z.string(), z.number()]);
const gmt = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/, "not a WooCommerce GMT date")
  .transform((s) => new Date(`${s}Z`));

export const wooCustomer = z.object({
  id: id.refine((n) => n > 0, "customer id must be positive"),
  email: z.string().max(320).nullish(),
  first_name: z.string().max(255).nullish(),
  last_name: z.string().max(255).nullish(),
  date_created_gmt: gmt.nullish(),
  date_modified_gmt: gmt.nullish(),
  billing: z.object({ phone: z.string().max(64).nullish() }).partial().nullish(),
});

export const wooOrder = z.object({
  id: id.refine((n) => n > 0, "order id must be positive"),
  number: z.string().max(64).nullish(),
  status: z.string().min(1).max(64),
  currency: z.string().length(3),
  date_created_gmt: gmt,
  date_modified_gmt: gmt,
  date_paid_gmt: gmt.nullish(),
  date_completed_gmt: gmt.nullish(),
  customer_id: id.default(0),
  created_via: z.string().nullish(),
  billing: z
    .object({ first_name: z.string().max(255).nullish(), last_name: z.string().max(255).nullish(), email: z.string().max(320).nullish(), phone: z.string().max(64).nullish() })
    .partial()
    .nullish(),
  line_items: z
    .array(
      z.object({
        id,
        product_id: id.nullish(),
        variation_id: id.nullish(),
        quantity: z.number().int(),
        total: amount,
        total_tax: amount.default("0"),
      }),
    )
    .max(5000),
  shipping_lines: z.array(z.object({ total: amount, total_tax: amount.default("0") })).default([]),
  coupon_lines: z.array(z.object({ code: z.string().max(255) })).default([]),
  refunds: z.array(z.object({ id, total: amount })).default([]),
});

export const wooDeleted = z.object({ id: id.refine((n) => n > 0) });

export type WooOrder = z.infer<typeof wooOrder>;
export type WooCustomer = z.infer<typeof wooCustomer>;
export type EarnStatus = "processing" | "completed";

export class WooPayloadError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid payload: ${issues.slice(0, 5).join("; ")}`);
  }
}

export function parseWoo<S extends z.ZodTypeAny>(schema: S, payload: unknown): z.infer<S> {
  const result = schema.safeParse(payload);
  if (!result.success) throw new WooPayloadError(result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`));
  return result.data;
}

export function customerFacts(raw: WooCustomer): CustomerFacts {
  return {
    platformCustomerId: String(raw.id),
    email: raw.email || null,
    firstName: raw.first_name || null,
    lastName: raw.last_name || null,
    phone: raw.billing?.phone || null,
    // A WooCommerce customer is a WordPress user: always an account.
    hasAccount: true,
    acceptsMarketing: false,
    createdAt: raw.date_created_gmt ?? null,
  };
}

/** Splits `total` over `weights` in proportion, exactly (largest remainder), so the parts sum to it. */
export function allocate(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0 || total <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (BigInt(total) * BigInt(w)));
  const parts = exact.map((x) => Number(x / BigInt(sum)));
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, rest: Number(x % BigInt(sum)) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    if (weights[i] > 0) {
      parts[i]++;
      left--;
    }
  }
  return parts;
}

/** Statuses in which the order has earned, given the merchant's chosen status. */
export function earningStatuses(earnStatus: EarnStatus): string[] {
  return earnStatus === "completed" ? ["completed"] : ["processing", "completed"];
}

/**
 * An order in WooCommerce terms to the core's facts. The merchant's chosen status (processing or
 * completed) is the "paid" moment the core awards on; cancelled and failed are cancellations;
 * each refund (the order lists only its total) is spread over the order's lines and shipping in
 * proportion to what each cost, so the core reverses points proportionally.
 * Facts only accumulate in the core (an order seen paid stays paid), which is why a status going
 * processing -> completed -> processing, or the same update sent twice, never awards twice.
 */
export function orderFacts(raw: WooOrder, earnStatus: EarnStatus): OrderFacts {
  const currency = raw.currency.toUpperCase();
  const lines: OrderLine[] = raw.line_items.map((line) => ({
    lineId: String(line.id),
    productId: line.product_id ? String(line.product_id) : null,
    variantId: line.variation_id ? String(line.variation_id) : null,
    quantity: Math.max(0, line.quantity),
    // WooCommerce's line `total` is after discounts and before tax, whatever the price display.
    netMinor: Math.max(0, toMinor(line.total, currency)),
    taxMinor: Math.max(0, toMinor(line.total_tax, currency)),
    giftCard: false,
  }));
  const shippingMinor = raw.shipping_lines.reduce((s, l) => s + Math.max(0, toMinor(l.total, currency)), 0);
  const shippingTaxMinor = raw.shipping_lines.reduce((s, l) => s + Math.max(0, toMinor(l.total_tax, currency)), 0);
  const earned = earningStatuses(earnStatus).includes(raw.status) || (raw.status === "refunded" && Boolean(raw.date_paid_gmt));
  const cancelled = raw.status === "cancelled" || raw.status === "failed";
  const billingEmail = raw.billing?.email || null;
  const customer: CustomerFacts | null =
    raw.customer_id > 0
      ? {
          platformCustomerId: String(raw.customer_id),
          email: billingEmail,
          firstName: raw.billing?.first_name || null,
          lastName: raw.billing?.last_name || null,
          phone: raw.billing?.phone || null,
          hasAccount: true,
          acceptsMarketing: false,
          createdAt: null,
        }
      : null;

  // What a refund is spread over: each line with its tax, and shipping with its tax.
  const weights = [...lines.map((l) => l.netMinor + l.taxMinor), shippingMinor + shippingTaxMinor];
  const grand = weights.reduce((a, b) => a + b, 0);
  const refunds: RefundFacts[] = raw.refunds.map((refund) => {
    const refunded = Math.min(grand, Math.abs(toMinor(refund.total, currency)));
    const parts = allocate(refunded, weights);
    return {
      refundId: String(refund.id),
      createdAt: raw.date_modified_gmt,
      lines: lines.map((line, i) => {
        const [subtotalMinor, taxMinor] = allocate(parts[i], [line.netMinor, line.taxMinor]);
        return { lineId: line.lineId, quantity: 0, subtotalMinor, taxMinor };
      }),
      shippingMinor: allocate(parts[lines.length], [shippingMinor, shippingTaxMinor])[0],
    };
  });

  return {
    platformOrderId: String(raw.id),
    name: raw.number ? `#${raw.number}` : `#${raw.id}`,
    currency,
    processedAt: raw.date_created_gmt,
    sourceName: raw.created_via ?? "woocommerce",
    customer,
    email: billingEmail,
    lines,
    shippingMinor,
    shippingTaxMinor,
    taxesIncluded: false,
    paidAt: earned ? (raw.date_paid_gmt ?? raw.date_modified_gmt) : null,
    fulfilledAt: raw.status === "completed" ? (raw.date_completed_gmt ?? raw.date_modified_gmt) : null,
    cancelledAt: cancelled ? raw.date_modified_gmt : null,
    refunds,
    discountCodes: raw.coupon_lines.map((c) => c.code),
  };
}

/**
 * WooCommerce's delivery id is new on every delivery, so deliveries are deduplicated on what they
 * say: the resource, its modification time and (for orders) status and refunds. A re-sent
 * order.updated, or reconciliation reading the same state, is then a duplicate.
 */
export function orderDedupeKey(raw: WooOrder): string {
  const refunds = raw.refunds.map((r) => r.id).sort((a, b) => a - b).join(",");
  return `woo:order:${raw.id}:${raw.date_modified_gmt.toISOString()}:${raw.status}:${refunds}`;
}

export function customerDedupeKey(raw: WooCustomer): string {
  return `woo:customer:${raw.id}:${(raw.date_modified_gmt ?? raw.date_created_gmt)?.toISOString() ?? "created"}`;
}
