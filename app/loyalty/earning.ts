import type { EarnBasis, OrderLine, RefundFacts, Rounding } from "./types";

/**
 * a * b / c rounded the merchant's way, in integers (a, b, c >= 0, c > 0). A result too large to be
 * an exact JavaScript number is refused rather than silently rounded.
 */
export function scaleRounded(a: number, b: number, c: number, rounding: Rounding): number {
  const product = BigInt(a) * BigInt(b);
  const divisor = BigInt(c);
  let quotient = product / divisor;
  const rest = product % divisor;
  if (rounding === "UP" && rest > 0n) quotient += 1n;
  if (rounding === "NEAREST" && rest * 2n >= divisor) quotient += 1n;
  if (quotient > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`${a} * ${b} / ${c} is too large to count exactly`);
  return Number(quotient);
}

interface GoodsShape {
  lines: OrderLine[];
  shippingMinor: number;
  shippingTaxMinor: number;
  taxesIncluded: boolean;
}

function lineEarns(line: Pick<OrderLine, "productId" | "giftCard">, basis: EarnBasis): boolean {
  // Buying a gift card is buying money, not goods: points come when the card is spent.
  if (line.giftCard) return false;
  return !(line.productId && basis.excludedProductIds.includes(line.productId));
}

/** Tax enters the amount only if the merchant opted in, whatever the shop's price display. */
function taxAdjusted(amount: number, tax: number, taxesIncluded: boolean, includeTaxes: boolean): number {
  if (taxesIncluded && !includeTaxes) return amount - tax;
  if (!taxesIncluded && includeTaxes) return amount + tax;
  return amount;
}

/** What the customer paid for goods that earn points, in the shop's currency. */
export function eligibleMinor(order: GoodsShape, basis: EarnBasis): number {
  let total = 0;
  for (const line of order.lines) {
    if (!lineEarns(line, basis)) continue;
    total += taxAdjusted(line.netMinor, line.taxMinor, order.taxesIncluded, basis.includeTaxes);
  }
  if (basis.includeShipping) {
    total += taxAdjusted(order.shippingMinor, order.shippingTaxMinor, order.taxesIncluded, basis.includeTaxes);
  }
  return Math.max(0, total);
}

/** The part of a refund that was eligible goods (capped by the caller at what was eligible). */
export function refundedEligibleMinor(order: GoodsShape, refund: RefundFacts, basis: EarnBasis): number {
  const byId = new Map(order.lines.map((line) => [line.lineId, line]));
  let total = 0;
  for (const refunded of refund.lines) {
    const line = byId.get(refunded.lineId);
    if (line && !lineEarns(line, basis)) continue;
    // Refund subtotals follow the order's tax display, like the line prices do.
    total += taxAdjusted(refunded.subtotalMinor, refunded.taxMinor, order.taxesIncluded, basis.includeTaxes);
  }
  if (basis.includeShipping) total += refund.shippingMinor;
  return Math.max(0, total);
}

/** Points for an eligible amount before any tier multiplier. */
export function basePoints(eligible: number, basis: Pick<EarnBasis, "points" | "spendMinor" | "rounding">): number {
  if (eligible <= 0 || basis.points <= 0 || basis.spendMinor <= 0) return 0;
  return scaleRounded(eligible, basis.points, basis.spendMinor, basis.rounding);
}

export function withMultiplier(points: number, multiplierPercent: number, rounding: Rounding): number {
  return scaleRounded(points, Math.max(0, multiplierPercent), 100, rounding);
}
