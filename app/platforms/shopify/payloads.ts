import { z } from "zod/v4";
import { toMinor } from "../../loyalty/money";
import type { CustomerFacts, OrderFacts, OrderLine, RefundFacts } from "../../loyalty/types";

/**
 * Shopify's REST webhook payloads (orders/*, refunds/create, customers/*) turned into core facts.
 * Only the fields we use are validated; everything else passes. Amounts are read from shop_money
 * (the shop's currency), never presentment money.
 */

const id = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform(String);
const amount = z.union([z.string(), z.number()]);
const timestamp = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), "not an ISO 8601 date")
  .transform((s) => new Date(s));
const moneySet = z.object({ shop_money: z.object({ amount, currency_code: z.string().length(3) }) });

const taxLine = z.object({ price: amount.optional(), price_set: moneySet.optional() });
const discountAllocation = z.object({ amount: amount.optional(), amount_set: moneySet.optional() });

const customer = z.object({
  id,
  email: z.string().max(320).nullish(),
  first_name: z.string().max(255).nullish(),
  last_name: z.string().max(255).nullish(),
  phone: z.string().max(64).nullish(),
  state: z.string().nullish(),
  created_at: timestamp.nullish(),
  email_marketing_consent: z.object({ state: z.string().nullish() }).nullish(),
  accepts_marketing: z.boolean().nullish(),
});

const lineItem = z.object({
  id,
  product_id: id.nullish(),
  variant_id: id.nullish(),
  quantity: z.number().int().nonnegative(),
  price: amount,
  price_set: moneySet.optional(),
  gift_card: z.boolean().nullish(),
  discount_allocations: z.array(discountAllocation).default([]),
  tax_lines: z.array(taxLine).default([]),
});

const shippingLine = z.object({
  price: amount.optional(),
  price_set: moneySet.optional(),
  discounted_price: amount.optional(),
  discounted_price_set: moneySet.optional(),
  tax_lines: z.array(taxLine).default([]),
});

const refund = z.object({
  id,
  order_id: id,
  created_at: timestamp,
  refund_line_items: z
    .array(
      z.object({
        line_item_id: id,
        quantity: z.number().int().nonnegative(),
        subtotal: amount.optional(),
        subtotal_set: moneySet.optional(),
        total_tax: amount.optional(),
        total_tax_set: moneySet.optional(),
      }),
    )
    .default([]),
  order_adjustments: z
    .array(z.object({ kind: z.string(), amount: amount.optional(), amount_set: moneySet.optional() }))
    .default([]),
  refund_shipping_lines: z.array(z.object({ subtotal_amount_set: moneySet.optional() })).nullish(),
  transactions: z.array(z.object({ currency: z.string().length(3).nullish() })).default([]),
});

const order = z.object({
  id,
  name: z.string().max(255).nullish(),
  email: z.string().max(320).nullish(),
  currency: z.string().length(3),
  created_at: timestamp,
  processed_at: timestamp.nullish(),
  updated_at: timestamp.nullish(),
  cancelled_at: timestamp.nullish(),
  financial_status: z.string().nullish(),
  fulfillment_status: z.string().nullish(),
  source_name: z.string().max(255).nullish(),
  taxes_included: z.boolean().default(false),
  customer: customer.nullish(),
  line_items: z.array(lineItem).max(5000),
  shipping_lines: z.array(shippingLine).default([]),
  discount_codes: z.array(z.object({ code: z.string() })).default([]),
  refunds: z.array(refund).default([]),
});

export type ShopifyOrder = z.infer<typeof order>;

/** Shop money of a *_set field, falling back to the plain field (same currency) on old payloads. */
function shopMinor(set: z.infer<typeof moneySet> | undefined, plain: string | number | undefined, currency: string): number {
  if (set) return toMinor(set.shop_money.amount, set.shop_money.currency_code);
  return plain === undefined ? 0 : toMinor(plain, currency);
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

export function customerFacts(raw: z.infer<typeof customer>): CustomerFacts {
  const consent = raw.email_marketing_consent?.state;
  return {
    platformCustomerId: raw.id,
    email: raw.email ?? null,
    firstName: raw.first_name ?? null,
    lastName: raw.last_name ?? null,
    phone: raw.phone ?? null,
    hasAccount: raw.state === "enabled",
    acceptsMarketing: consent ? consent === "subscribed" : Boolean(raw.accepts_marketing),
    createdAt: raw.created_at ?? null,
  };
}

function refundFacts(raw: z.infer<typeof refund>, currency: string): RefundFacts {
  const shippingFromLines = raw.refund_shipping_lines?.length
    ? sum(raw.refund_shipping_lines.map((l) => shopMinor(l.subtotal_amount_set, undefined, currency)))
    : null;
  const shippingFromAdjustments = -sum(
    raw.order_adjustments
      .filter((a) => a.kind === "shipping_refund")
      .map((a) => shopMinor(a.amount_set, a.amount, currency)),
  );
  return {
    refundId: raw.id,
    createdAt: raw.created_at,
    lines: raw.refund_line_items.map((l) => ({
      lineId: l.line_item_id,
      quantity: l.quantity,
      subtotalMinor: shopMinor(l.subtotal_set, l.subtotal, currency),
      taxMinor: shopMinor(l.total_tax_set, l.total_tax, currency),
    })),
    shippingMinor: Math.max(0, shippingFromLines ?? shippingFromAdjustments),
  };
}

export interface OrderMoments {
  paid: boolean;
  fulfilled: boolean;
  /** When the webhook says it happened; the order's own timestamps where it has none. */
  at: Date;
}

export function orderFacts(raw: ShopifyOrder, moments: OrderMoments): OrderFacts {
  const currency = raw.currency;
  const lines: OrderLine[] = raw.line_items.map((line) => {
    const gross = shopMinor(line.price_set, line.price, currency) * line.quantity;
    const discounts = sum(line.discount_allocations.map((d) => shopMinor(d.amount_set, d.amount, currency)));
    return {
      lineId: line.id,
      productId: line.product_id ?? null,
      variantId: line.variant_id ?? null,
      quantity: line.quantity,
      netMinor: Math.max(0, gross - discounts),
      taxMinor: sum(line.tax_lines.map((t) => shopMinor(t.price_set, t.price, currency))),
      giftCard: Boolean(line.gift_card),
    };
  });
  const shippingMinor = sum(
    raw.shipping_lines.map((s) =>
      s.discounted_price_set || s.discounted_price !== undefined
        ? shopMinor(s.discounted_price_set, s.discounted_price, currency)
        : shopMinor(s.price_set, s.price, currency),
    ),
  );
  const shippingTaxMinor = sum(raw.shipping_lines.flatMap((s) => s.tax_lines.map((t) => shopMinor(t.price_set, t.price, currency))));
  const paidStatus = ["paid", "partially_refunded", "refunded"].includes(raw.financial_status ?? "");
  const fulfilledStatus = raw.fulfillment_status === "fulfilled";
  return {
    platformOrderId: raw.id,
    name: raw.name ?? null,
    currency,
    processedAt: raw.processed_at ?? raw.created_at,
    sourceName: raw.source_name ?? null,
    customer: raw.customer ? customerFacts(raw.customer) : null,
    email: raw.email || raw.customer?.email || null,
    lines,
    shippingMinor,
    shippingTaxMinor,
    taxesIncluded: raw.taxes_included,
    paidAt: moments.paid || paidStatus ? moments.at : null,
    fulfilledAt: moments.fulfilled || fulfilledStatus ? moments.at : null,
    cancelledAt: raw.cancelled_at ?? null,
    refunds: raw.refunds.map((r) => refundFacts(r, currency)),
    discountCodes: raw.discount_codes.map((d) => d.code),
  };
}

export class PayloadError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid payload: ${issues.slice(0, 5).join("; ")}`);
  }
}

function parse<S extends z.ZodType>(schema: S, payload: unknown): z.infer<S> {
  const result = schema.safeParse(payload);
  if (!result.success) {
    throw new PayloadError(result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`));
  }
  return result.data;
}

export const parseOrder = (payload: unknown) => parse(order, payload);
export const parseRefund = (payload: unknown) => parse(refund, payload);

/**
 * A refund's amounts come with their currency in every *_set field; the plain fields (only on old
 * payloads) are read in the currency of the refund's transactions, or `fallback`.
 */
export function refundCurrency(raw: z.infer<typeof refund>, fallback: string): string {
  const fromSet = raw.refund_line_items.find((l) => l.subtotal_set)?.subtotal_set?.shop_money.currency_code;
  return fromSet ?? raw.transactions.find((t) => t.currency)?.currency ?? fallback;
}
export const parseCustomer = (payload: unknown) => parse(customer, payload);
export { refundFacts };

const complianceCustomer = z.object({ id: id.nullish(), email: z.string().nullish(), phone: z.string().nullish() });
export const parseDataRequest = (payload: unknown) =>
  parse(
    z.object({
      shop_domain: z.string(),
      customer: complianceCustomer,
      orders_requested: z.array(id).default([]),
      data_request: z.object({ id }),
    }),
    payload,
  );
export const parseCustomerRedact = (payload: unknown) =>
  parse(z.object({ shop_domain: z.string(), customer: complianceCustomer, orders_to_redact: z.array(id).default([]) }), payload);
export const parseShopRedact = (payload: unknown) => parse(z.object({ shop_domain: z.string() }), payload);
