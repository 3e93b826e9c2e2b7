import { z } from "zod";
import type { Db } from "../db.server";
import { translate, type Locale, type MessageKey } from "../i18n/messages";
import { crashPoint } from "./crash-points.server";
import type { DiscountIssuer } from "./discount-issuer";
import { issueRedemption, redeem } from "./redemptions.server";

const RedeemBody = z.object({
  rewardId: z.string().min(1).max(64),
  // The widget makes one per click; a retried or double-clicked request reuses it.
  requestId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  points: z.number().int().positive().max(10_000_000).optional(),
});

export interface StorefrontRedeemRequest {
  shopDomain: string;
  /** The signed-in customer the platform vouched for (app proxy, WordPress plugin); null: a visitor. */
  customerId: string | null;
  /** The request body, as text. */
  body: string;
  locale: Locale;
  /** The platform's code issuer, or null when it cannot be reached now (the outbox finishes it). */
  issuer: () => Promise<DiscountIssuer | null>;
}

/**
 * A signed-in shopper redeems from the widget, on any platform: validate the body, debit and create
 * the pending code in one transaction, then create the code on the platform at once (recovery and
 * the outbox finish it if this request cannot). The answer's shape is the widget's.
 */
export async function redeemFromStorefront(db: Db, request: StorefrontRedeemRequest): Promise<{ status: number; body: unknown }> {
  const message = (key: MessageKey) => translate(request.locale, key);
  if (!request.customerId) return { status: 401, body: { error: "unknown_member", message: message("redeem.unknown_member") } };
  let body: z.infer<typeof RedeemBody>;
  try {
    const parsed = RedeemBody.safeParse(JSON.parse(request.body));
    if (!parsed.success) {
      return { status: 400, body: { error: "invalid_request", message: message("redeem.invalid_request"), issues: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) } };
    }
    body = parsed.data;
  } catch {
    return { status: 400, body: { error: "invalid_request", message: message("redeem.invalid_request") } };
  }
  const member = await db.member.findFirst({
    where: { shop: { domain: request.shopDomain }, platformCustomerId: request.customerId, redactedAt: null },
    select: { id: true },
  });
  if (!member) return { status: 404, body: { error: "unknown_member", message: message("redeem.unknown_member") } };

  const result = await redeem(db, { shopDomain: request.shopDomain, memberId: member.id, ...body });
  if (!result.ok) {
    const status = result.reason === "insufficient_points" || result.reason === "tier_required" ? 422 : result.reason === "request_conflict" ? 409 : 400;
    return { status, body: { error: result.reason, message: message(`redeem.${result.reason}` as MessageKey) } };
  }
  crashPoint("redemption:after-debit");
  let redemption = result.redemption;
  if (redemption.status === "PENDING") {
    const issuer = await request.issuer();
    if (issuer) {
      await issueRedemption(db, redemption.id, issuer);
      redemption = await db.redemption.findUniqueOrThrow({ where: { id: redemption.id } });
      crashPoint("redemption:after-issued");
    }
  }
  const balance = (await db.member.findUniqueOrThrow({ where: { id: member.id }, select: { balance: true } })).balance;
  const issued = redemption.status === "ISSUED" || redemption.status === "USED";
  return {
    status: redemption.status === "FAILED" ? 422 : 200,
    body: {
      redemption: { id: redemption.id, status: redemption.status, code: issued ? redemption.code : null, expiresAt: redemption.expiresAt.toISOString(), pointsSpent: redemption.pointsSpent },
      balance,
      message: message(redemption.status === "FAILED" ? "redeem.failed" : issued ? "redeem.issued" : "redeem.pending"),
    },
  };
}
