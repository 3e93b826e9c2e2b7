import type { DiscountIssuer, DiscountRequest, IssueResult } from "../../app/loyalty/discount-issuer";
import { formatMinor } from "../../app/loyalty/money";
import { WooApiError, type WooClient } from "./client.server";

/**
 * Reward codes as WooCommerce coupons (POST /wp-json/wc/v3/coupons): single use
 * (usage_limit 1, usage_limit_per_user 1), restricted to the member's email, expiring with the
 * redemption. WooCommerce has one combination switch, individual_use ("cannot be used with other
 * coupons"): it is on unless the reward may combine with other order or product discounts.
 * Transient failures (5xx, timeouts, after the client's retries) and refused keys throw, leaving
 * the redemption pending for recovery; a coupon the store refuses for its content is permanent.
 */
export function couponBody(request: DiscountRequest): Record<string, unknown> {
  const { terms } = request;
  const base = {
    code: request.code,
    description: request.title,
    individual_use: !(terms.combinesWith.orderDiscounts || terms.combinesWith.productDiscounts),
    usage_limit: 1,
    usage_limit_per_user: 1,
    email_restrictions: request.customerEmail ? [request.customerEmail.toLowerCase()] : [],
    // ISO 8601 with "Z": WooCommerce stores it as that exact instant whatever the site's timezone.
    date_expires: `${request.endsAt.toISOString().slice(0, 19)}Z`,
    ...(terms.minimumSubtotalMinor ? { minimum_amount: formatMinor(terms.minimumSubtotalMinor, terms.currency) } : {}),
  };
  switch (terms.kind) {
    case "PERCENTAGE":
      return { ...base, discount_type: "percent", amount: String(terms.percentage), free_shipping: false };
    case "FREE_SHIPPING":
      return { ...base, discount_type: "fixed_cart", amount: "0", free_shipping: true };
    case "FREE_PRODUCT":
      return {
        ...base,
        discount_type: "percent",
        amount: "100",
        free_shipping: false,
        product_ids: terms.variantId ? [Number(terms.variantId)] : [],
        limit_usage_to_x_items: 1,
      };
    default:
      return { ...base, discount_type: "fixed_cart", amount: formatMinor(terms.valueMinor, terms.currency), free_shipping: false };
  }
}

export function wooCouponIssuer(client: WooClient): DiscountIssuer {
  const issuer: DiscountIssuer = {
    async find(code) {
      const response = await client.get<{ id: number; code: string }[]>("coupons", { code });
      const found = response.data.find((c) => c.code.toLowerCase() === code.toLowerCase());
      return found ? { platformDiscountId: String(found.id) } : null;
    },
    async create(request): Promise<IssueResult> {
      try {
        const created = await client.post<{ id: number }>("coupons", couponBody(request));
        return { ok: true, platformDiscountId: String(created.data.id) };
      } catch (error) {
        if (!(error instanceof WooApiError) || error.kind !== "invalid") throw error;
        // Our code is already there: an earlier attempt created it and its answer was lost.
        if (error.code === "woocommerce_rest_coupon_code_already_exists") {
          const existing = await issuer.find(request.code);
          if (existing) return { ok: true, platformDiscountId: existing.platformDiscountId };
        }
        return { ok: false, permanent: true, reason: `${error.code}: ${error.message}` };
      }
    },
  };
  return issuer;
}
