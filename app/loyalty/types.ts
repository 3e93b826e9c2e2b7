// Platform-neutral facts and events. Platform adapters (app/platforms/shopify, woo-bridge) turn
// their payloads into these; app/loyalty never sees a platform payload.

export type Rounding = "DOWN" | "NEAREST" | "UP";
export type TierBasis = "POINTS" | "SPEND";
export type TierPeriod = "LIFETIME" | "CALENDAR_YEAR" | "ROLLING_12_MONTHS";
export type AwardMoment = "PAID" | "FULFILLED";
export type NegativeBalancePolicy = "FLOOR_AT_ZERO" | "ALLOW_DEBT";

export interface CustomerFacts {
  platformCustomerId: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  /** Has a store account (Shopify state "enabled"); guests are matched later by email. */
  hasAccount: boolean;
  acceptsMarketing: boolean;
  createdAt: Date | null;
}

export interface OrderLine {
  lineId: string;
  productId: string | null;
  variantId: string | null;
  quantity: number;
  /** price x quantity less every discount allocated to the line, shop currency, minor units. */
  netMinor: number;
  taxMinor: number;
  giftCard: boolean;
}

export interface RefundFacts {
  refundId: string;
  createdAt: Date;
  lines: { lineId: string; quantity: number; subtotalMinor: number; taxMinor: number }[];
  shippingMinor: number;
}

/** What was bought and paid, the part of an order that earning and refunds are computed on. */
export interface OrderGoods {
  lines: OrderLine[];
  /** Shipping after shipping discounts. */
  shippingMinor: number;
  shippingTaxMinor: number;
  taxesIncluded: boolean;
}

export interface OrderFacts extends OrderGoods {
  platformOrderId: string;
  name: string | null;
  currency: string;
  processedAt: Date;
  sourceName: string | null;
  customer: CustomerFacts | null;
  email: string | null;
  paidAt: Date | null;
  fulfilledAt: Date | null;
  cancelledAt: Date | null;
  refunds: RefundFacts[];
  discountCodes: string[];
}

export type LoyaltyEvent =
  | { type: "order"; order: OrderFacts }
  | { type: "refund"; platformOrderId: string; refund: RefundFacts }
  | { type: "customer"; customer: CustomerFacts };

/** The earning settings an order was first awarded under, frozen on the order. */
export interface EarnBasis {
  points: number;
  spendMinor: number;
  rounding: Rounding;
  includeShipping: boolean;
  includeTaxes: boolean;
  excludedProductIds: string[];
  ladder: LadderStep[];
  tierBasis: TierBasis;
  tierPeriod: TierPeriod;
  timezone: string;
}

export interface LadderStep {
  tierId: string;
  threshold: number;
  multiplierPercent: number;
}
