import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { basePoints, eligibleMinor, refundedEligibleMinor, scaleRounded, withMultiplier } from "../../app/loyalty/earning";
import type { EarnBasis } from "../../app/loyalty/types";
import { line, refund } from "../support/facts";

const basis = (overrides: Partial<EarnBasis> = {}): EarnBasis => ({
  points: 1,
  spendMinor: 100,
  rounding: "DOWN",
  includeShipping: false,
  includeTaxes: false,
  excludedProductIds: [],
  ladder: [],
  tierBasis: "POINTS",
  tierPeriod: "LIFETIME",
  timezone: "UTC",
  ...overrides,
});

const goods = (overrides = {}) => ({
  lines: [line("a", 4_999), line("b", 2_500, { taxMinor: 500 }), line("gift", 5_000, { giftCard: true })],
  shippingMinor: 1_000,
  shippingTaxMinor: 200,
  taxesIncluded: false,
  ...overrides,
});

describe("eligible spend", () => {
  it("counts discounted goods only: no shipping, no tax, no gift cards by default", () => {
    expect(eligibleMinor(goods(), basis())).toBe(7_499);
  });

  it("adds shipping and tax when the merchant opts in", () => {
    expect(eligibleMinor(goods(), basis({ includeShipping: true }))).toBe(8_499);
    expect(eligibleMinor(goods(), basis({ includeTaxes: true }))).toBe(7_999);
    expect(eligibleMinor(goods(), basis({ includeTaxes: true, includeShipping: true }))).toBe(9_199);
  });

  it("takes tax out of tax-inclusive prices unless taxes are included", () => {
    expect(eligibleMinor(goods({ taxesIncluded: true }), basis())).toBe(6_999);
    expect(eligibleMinor(goods({ taxesIncluded: true }), basis({ includeTaxes: true }))).toBe(7_499);
  });

  it("skips excluded products", () => {
    expect(eligibleMinor(goods(), basis({ excludedProductIds: ["p-a"] }))).toBe(2_500);
  });

  it("counts refunded goods the same way as paid goods", () => {
    const r = refund("r1", new Date(), [
      { lineId: "b", quantity: 1, subtotalMinor: 2_500, taxMinor: 500 },
      { lineId: "gift", quantity: 1, subtotalMinor: 5_000, taxMinor: 0 },
    ], 1_000);
    expect(refundedEligibleMinor(goods(), r, basis())).toBe(2_500);
    expect(refundedEligibleMinor(goods(), r, basis({ includeShipping: true, includeTaxes: true }))).toBe(4_000);
  });
});

describe("points for an amount", () => {
  it("applies the merchant's rounding", () => {
    expect(basePoints(4_999, basis())).toBe(49);
    expect(basePoints(4_950, basis({ rounding: "NEAREST" }))).toBe(50);
    expect(basePoints(4_949, basis({ rounding: "NEAREST" }))).toBe(49);
    expect(basePoints(4_901, basis({ rounding: "UP" }))).toBe(50);
  });

  it("supports rates like 1 point per 10 CZK and 5 points per dollar", () => {
    expect(basePoints(12_345, basis({ points: 1, spendMinor: 1_000 }))).toBe(12);
    expect(basePoints(12_345, basis({ points: 5, spendMinor: 100 }))).toBe(617);
  });

  it("gives nothing for nothing", () => {
    expect(basePoints(0, basis())).toBe(0);
    expect(basePoints(10_000, basis({ points: 0 }))).toBe(0);
  });

  it("refuses a count too large to hold exactly", () => {
    expect(() => scaleRounded(902_605_809_811, 9_981, 1, "DOWN")).toThrow(RangeError);
    expect(scaleRounded(Number.MAX_SAFE_INTEGER, 1, 1, "DOWN")).toBe(Number.MAX_SAFE_INTEGER);
  });

  it("multiplies by the tier multiplier", () => {
    expect(withMultiplier(49, 150, "DOWN")).toBe(73);
    expect(withMultiplier(49, 150, "UP")).toBe(74);
  });

  it("rounds exactly, with no floating point drift, for any amounts", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 0, max: 1e4 }), fc.integer({ min: 1, max: 1e6 }), (a, b, c) => {
        const exact = (BigInt(a) * BigInt(b)) / BigInt(c);
        if (exact + 1n > BigInt(Number.MAX_SAFE_INTEGER)) {
          // Beyond 2^53 a number cannot hold the count exactly: refused, never rounded.
          if (exact > BigInt(Number.MAX_SAFE_INTEGER)) expect(() => scaleRounded(a, b, c, "DOWN")).toThrow(RangeError);
          return;
        }
        const down = scaleRounded(a, b, c, "DOWN");
        const up = scaleRounded(a, b, c, "UP");
        const nearest = scaleRounded(a, b, c, "NEAREST");
        expect(BigInt(down)).toBe(exact);
        expect(up - down).toBe((BigInt(a) * BigInt(b)) % BigInt(c) === 0n ? 0 : 1);
        expect(nearest === down || nearest === up).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });
});
