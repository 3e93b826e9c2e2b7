import type { RewardTerms } from "./rewards";

/**
 * The platform side of a redemption: creates the discount code on the store (Shopify discount,
 * WooCommerce coupon) and looks one up by code. Implemented by each platform adapter.
 */
export interface DiscountRequest {
  code: string;
  title: string;
  terms: RewardTerms;
  /** The only customer who may use the code. */
  platformCustomerId: string;
  customerEmail: string | null;
  startsAt: Date;
  endsAt: Date;
}

export type IssueResult =
  | { ok: true; platformDiscountId: string }
  /** The platform refused the code for good (invalid input, missing variant...): give the points back. */
  | { ok: false; permanent: true; reason: string };

export interface DiscountIssuer {
  /** Throws on a transient failure (network, 5xx after retries, throttling): the redemption stays pending. */
  create(request: DiscountRequest): Promise<IssueResult>;
  /** The platform's id of an existing code, or null when the platform has no such code. */
  find(code: string): Promise<{ platformDiscountId: string } | null>;
}
