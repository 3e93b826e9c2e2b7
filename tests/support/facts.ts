import type { CustomerFacts, OrderFacts, OrderLine, RefundFacts } from "../../app/loyalty/types";

/** Small builders of platform-neutral facts for tests of the loyalty core. */

export const DAY = 86_400_000;

export function customer(id: string, overrides: Partial<CustomerFacts> = {}): CustomerFacts {
  return {
    platformCustomerId: id,
    email: `${id}@example.com`,
    firstName: "Ada",
    lastName: "Lovelace",
    phone: null,
    hasAccount: true,
    acceptsMarketing: true,
    createdAt: new Date("2025-01-01T00:00:00Z"),
    ...overrides,
  };
}

export function line(lineId: string, netMinor: number, overrides: Partial<OrderLine> = {}): OrderLine {
  return { lineId, productId: `p-${lineId}`, variantId: null, quantity: 1, netMinor, taxMinor: 0, giftCard: false, ...overrides };
}

export function order(id: string, who: CustomerFacts | null, lines: OrderLine[], overrides: Partial<OrderFacts> = {}): OrderFacts {
  const processedAt = overrides.processedAt ?? new Date("2025-02-01T12:00:00Z");
  return {
    platformOrderId: id,
    name: `#${id}`,
    currency: "USD",
    processedAt,
    sourceName: "web",
    customer: who,
    email: who?.email ?? null,
    lines,
    shippingMinor: 0,
    shippingTaxMinor: 0,
    taxesIncluded: false,
    paidAt: processedAt,
    fulfilledAt: null,
    cancelledAt: null,
    refunds: [],
    discountCodes: [],
    ...overrides,
  };
}

export function refund(refundId: string, createdAt: Date, lines: RefundFacts["lines"], shippingMinor = 0): RefundFacts {
  return { refundId, createdAt, lines, shippingMinor };
}
