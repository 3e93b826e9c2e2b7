import { describe, expect, it } from "vitest";
import type { DiscountRequest } from "../../app/loyalty/discount-issuer";
import type { RewardTerms } from "../../app/loyalty/rewards";
import { discountInput } from "../../app/platforms/shopify/discount-issuer.server";

const terms = (overrides: Partial<RewardTerms> = {}): RewardTerms => ({
  rewardId: "r",
  name: "5 off",
  kind: "FIXED_AMOUNT",
  pointsCost: 500,
  valueMinor: 500,
  percentage: 0,
  variantId: null,
  minimumSubtotalMinor: null,
  currency: "USD",
  combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: true },
  codeExpiryDays: 30,
  ...overrides,
});
const request = (t: RewardTerms): DiscountRequest => ({
  code: "TW-AAAA-CCCC-DDDD",
  title: "5 off (TW-AAAA-CCCC-DDDD)",
  terms: t,
  platformCustomerId: "7001",
  customerEmail: "ada@example.com",
  startsAt: new Date("2026-01-01T00:00:00Z"),
  endsAt: new Date("2026-01-31T00:00:00Z"),
});

describe("Shopify discount input for a reward", () => {
  it("limits the code to the one customer through context, once, with dates and combinations", () => {
    const { mutation, input } = discountInput(request(terms({ minimumSubtotalMinor: 2_500 })));
    expect(mutation).toBe("basic");
    expect(input).toMatchObject({
      code: "TW-AAAA-CCCC-DDDD",
      context: { customers: { add: ["gid://shopify/Customer/7001"] } },
      usageLimit: 1,
      appliesOncePerCustomer: true,
      startsAt: "2026-01-01T00:00:00.000Z",
      endsAt: "2026-01-31T00:00:00.000Z",
      combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: true },
      minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: "25.00" } },
      customerGets: { value: { discountAmount: { amount: "5.00", appliesOnEachItem: false } }, items: { all: true } },
    });
    expect(input).not.toHaveProperty("customerSelection");
  });

  it("maps every reward kind to its Shopify discount", () => {
    expect(discountInput(request(terms({ kind: "PERCENTAGE", percentage: 15 }))).input.customerGets).toEqual({ value: { percentage: 0.15 }, items: { all: true } });
    expect(discountInput(request(terms({ kind: "FREE_PRODUCT", variantId: "42" }))).input.customerGets).toEqual({
      value: { percentage: 1 },
      items: { products: { productVariantsToAdd: ["gid://shopify/ProductVariant/42"] } },
    });
    const shipping = discountInput(request(terms({ kind: "FREE_SHIPPING" })));
    expect(shipping.mutation).toBe("freeShipping");
    expect(shipping.input).toMatchObject({ destination: { all: true }, combinesWith: { shippingDiscounts: false } });
    expect(shipping.input).not.toHaveProperty("customerGets");
    expect(discountInput(request(terms({ currency: "JPY", valueMinor: 500 }))).input.customerGets).toMatchObject({ value: { discountAmount: { amount: "500" } } });
  });
});
