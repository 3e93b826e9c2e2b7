import { z } from "zod";
import db from "../../db.server";
import { pickLocale, translate, type MessageKey } from "../../i18n/messages";
import { crashPoint } from "../../loyalty/crash-points.server";
import { issueRedemption, redeem } from "../../loyalty/redemptions.server";
import { shopifyDiscountIssuer } from "./discount-issuer.server";
import type { Shopper } from "./storefront.server";

const RedeemBody = z.object({
  rewardId: z.string().min(1).max(64),
  // The widget makes one per click; a retried or double-clicked request reuses it.
  requestId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  points: z.number().int().positive().max(10_000_000).optional(),
});

const json = (status: number, body: unknown) =>
  Response.json(body, { status, headers: { "Cache-Control": "no-store" } });

/**
 * A signed-in shopper redeems a reward: the debit and the pending code in one transaction, then
 * the code on Shopify at once (the outbox and recovery finish it if this process cannot).
 */
export async function redeemForShopper(request: Request, shopper: Shopper): Promise<Response> {
  const locale = pickLocale(new URL(request.url).searchParams.get("locale") ?? request.headers.get("accept-language"));
  const message = (key: MessageKey) => translate(locale, key);
  if (!shopper.customerId) return json(401, { error: "unknown_member", message: message("redeem.unknown_member") });
  let body: z.infer<typeof RedeemBody>;
  try {
    const parsed = RedeemBody.safeParse(await request.json());
    if (!parsed.success) return json(400, { error: "invalid_request", message: message("redeem.invalid_request"), issues: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) });
    body = parsed.data;
  } catch {
    return json(400, { error: "invalid_request", message: message("redeem.invalid_request") });
  }
  const member = await db.member.findFirst({
    where: { shop: { domain: shopper.shopDomain }, platformCustomerId: shopper.customerId, redactedAt: null },
    select: { id: true },
  });
  if (!member) return json(404, { error: "unknown_member", message: message("redeem.unknown_member") });

  const result = await redeem(db, { shopDomain: shopper.shopDomain, memberId: member.id, ...body });
  if (!result.ok) {
    const status = result.reason === "insufficient_points" || result.reason === "tier_required" ? 422 : result.reason === "request_conflict" ? 409 : 400;
    return json(status, { error: result.reason, message: message(`redeem.${result.reason}` as MessageKey) });
  }
  crashPoint("redemption:after-debit");
  let redemption = result.redemption;
  if (redemption.status === "PENDING" && shopper.admin) {
    await issueRedemption(db, redemption.id, shopifyDiscountIssuer(shopper.admin.graphql));
    redemption = await db.redemption.findUniqueOrThrow({ where: { id: redemption.id } });
    crashPoint("redemption:after-issued");
  }
  const balance = (await db.member.findUniqueOrThrow({ where: { id: member.id }, select: { balance: true } })).balance;
  const issued = redemption.status === "ISSUED" || redemption.status === "USED";
  return json(redemption.status === "FAILED" ? 422 : 200, {
    redemption: {
      id: redemption.id,
      status: redemption.status,
      code: issued ? redemption.code : null,
      expiresAt: redemption.expiresAt.toISOString(),
      pointsSpent: redemption.pointsSpent,
    },
    balance,
    message: message(redemption.status === "FAILED" ? "redeem.failed" : issued ? "redeem.issued" : "redeem.pending"),
  });
}
