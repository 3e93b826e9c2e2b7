import type { RewardKind } from "@prisma/client";

/** A reward's terms, frozen on a redemption so later edits do not change an issued code. */
export interface RewardTerms {
  rewardId: string;
  name: string;
  kind: RewardKind;
  pointsCost: number;
  valueMinor: number;
  percentage: number;
  variantId: string | null;
  minimumSubtotalMinor: number | null;
  currency: string;
  combinesWith: { orderDiscounts: boolean; productDiscounts: boolean; shippingDiscounts: boolean };
  codeExpiryDays: number;
}

export interface RewardShape {
  id: string;
  name: string;
  kind: RewardKind;
  active: boolean;
  pointsCost: number;
  valueMinor: number;
  percentage: number;
  variantId: string | null;
  pointsPerUnit: number;
  minPoints: number;
  maxPoints: number;
  minimumSubtotalMinor: number | null;
  codeExpiryDays: number;
  combinesWithOrder: boolean;
  combinesWithProduct: boolean;
  combinesWithShipping: boolean;
}

export type TermsResult = { ok: true; terms: RewardTerms } | { ok: false; reason: "reward_unavailable" | "invalid_points" };

/**
 * What redeeming `reward` costs and gives. For "any amount" rewards the shopper chooses the points
 * (a multiple of pointsPerUnit within min/max) and gets valueMinor for every pointsPerUnit.
 */
export function rewardTerms(reward: RewardShape, currency: string, chosenPoints?: number, mode: "redeem" | "grant" = "redeem"): TermsResult {
  if (!reward.active) return { ok: false, reason: "reward_unavailable" };
  let pointsCost = reward.pointsCost;
  let valueMinor = reward.valueMinor;
  if (reward.kind === "VARIABLE_AMOUNT") {
    const points = chosenPoints ?? reward.minPoints;
    const unit = reward.pointsPerUnit;
    if (!Number.isSafeInteger(points) || unit <= 0 || points < reward.minPoints || points > reward.maxPoints || points % unit !== 0) {
      return { ok: false, reason: "invalid_points" };
    }
    pointsCost = points;
    valueMinor = (points / unit) * reward.valueMinor;
  }
  // A reward bought with points must cost some; a granted one (a tier's entry reward) costs none.
  if (mode === "grant") pointsCost = 0;
  else if (pointsCost <= 0) return { ok: false, reason: "reward_unavailable" };
  return {
    ok: true,
    terms: {
      rewardId: reward.id,
      name: reward.name,
      kind: reward.kind === "VARIABLE_AMOUNT" ? "FIXED_AMOUNT" : reward.kind,
      pointsCost,
      valueMinor,
      percentage: reward.percentage,
      variantId: reward.variantId,
      minimumSubtotalMinor: reward.minimumSubtotalMinor,
      currency,
      combinesWith: {
        orderDiscounts: reward.combinesWithOrder,
        productDiscounts: reward.combinesWithProduct,
        shippingDiscounts: reward.combinesWithShipping,
      },
      codeExpiryDays: reward.codeExpiryDays,
    },
  };
}
