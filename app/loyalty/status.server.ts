import type { Member, OrderRecord, Reward, Tier } from "@prisma/client";
import type { Db } from "../db.server";
import { currencyDecimals } from "./money";
import { timelineOrder } from "./orders.server";
import { currentTierRules, loadShopContext, type ShopContext } from "./shop-context.server";
import { pastBaselinesOf } from "./past-baselines.server";
import { memberTimeline, type TierBaseline, type TimelineCredit, type TimelineOrder } from "./timeline";

/**
 * What the storefront widget shows, for any platform: the program summary anyone may see, and a
 * signed-in member's own standing. Callers pass the shop domain and the platform customer id that
 * the platform vouched for (Shopify's signed logged_in_customer_id, WooCommerce's signed token);
 * nothing here ever returns another customer's data.
 */

const DAY = 86_400_000;
/** Points whose expiry falls within this window are shown as "expiring soon". */
export const EXPIRING_SOON_DAYS = 30;

export interface StatusTier {
  id: string;
  name: string;
  /** Points, or minor units of spend when the program's tier basis is SPEND. */
  threshold: number;
  multiplierPercent: number;
  perks: string[];
}

export interface StatusReward {
  id: string;
  name: string;
  kind: Reward["kind"];
  /** Price in points; for "any amount" rewards the smallest choice. */
  pointsCost: number;
  valueMinor: number;
  percentage: number;
  /** "Any amount" rewards: points in steps of pointsPerUnit within min/max. */
  pointsPerUnit: number;
  minPoints: number;
  maxPoints: number;
  minimumTier: string | null;
}

export interface ProgramSummary {
  active: boolean;
  currency: string;
  currencyDecimals: number;
  earn: { points: number; spendMinor: number } | null;
  signupPoints: number | null;
  birthdayPoints: number | null;
  tierBasis: "POINTS" | "SPEND";
  tiers: StatusTier[];
  rewards: StatusReward[];
}

export interface MemberStatus {
  balance: number;
  tier: { id: string; name: string } | null;
  /** Null at the top tier. */
  nextTier: (StatusTier & { remaining: number; progressPercent: number }) | null;
  /** Points or spend counted toward tiers in the current period, and its basis. */
  qualifying: { basis: "POINTS" | "SPEND"; amount: number };
  /** Rewards the member can redeem now (tier allows it and the balance covers the cheapest choice). */
  rewards: (StatusReward & { maxAffordable: number })[];
  expiring: { points: number; at: string } | null;
  /** Issued, unused codes, newest first. */
  codes: { code: string; reward: string; expiresAt: string }[];
  /** Only when the shop runs referrals (not built yet, so always null). */
  referralUrl: string | null;
}

export type StorefrontStatus =
  | { viewer: "guest"; program: ProgramSummary; member: null }
  /** Signed in but not (yet) a member, e.g. before the customer's webhook arrived. */
  | { viewer: "customer"; program: ProgramSummary; member: null }
  | { viewer: "member"; program: ProgramSummary; member: MemberStatus };

function perksOf(tier: Tier): string[] {
  try {
    const value: unknown = JSON.parse(tier.perks);
    return Array.isArray(value) ? value.filter((p): p is string => typeof p === "string" && p.trim() !== "") : [];
  } catch {
    return [];
  }
}

function statusTier(tier: Tier): StatusTier {
  return { id: tier.id, name: tier.name, threshold: tier.threshold, multiplierPercent: tier.multiplierPercent, perks: perksOf(tier) };
}

function statusReward(reward: Reward, tiers: Tier[]): StatusReward {
  const variable = reward.kind === "VARIABLE_AMOUNT";
  return {
    id: reward.id,
    name: reward.name,
    kind: reward.kind,
    pointsCost: variable ? reward.minPoints : reward.pointsCost,
    valueMinor: reward.valueMinor,
    percentage: reward.percentage,
    pointsPerUnit: variable ? reward.pointsPerUnit : 0,
    minPoints: variable ? reward.minPoints : 0,
    maxPoints: variable ? reward.maxPoints : 0,
    minimumTier: tiers.find((t) => t.id === reward.minimumTierId)?.name ?? null,
  };
}

function redeemable(reward: Reward): boolean {
  if (!reward.active) return false;
  if (reward.kind === "VARIABLE_AMOUNT") return reward.pointsPerUnit > 0 && reward.minPoints > 0 && reward.maxPoints >= reward.minPoints;
  return reward.pointsCost > 0;
}

function programSummary(ctx: ShopContext, rewards: Reward[]): ProgramSummary {
  const rule = (kind: "PURCHASE" | "SIGNUP" | "BIRTHDAY") => ctx.rules.find((r) => r.kind === kind && r.active) ?? null;
  const purchase = rule("PURCHASE");
  return {
    active: ctx.program.active,
    currency: ctx.shop.currency,
    currencyDecimals: currencyDecimals(ctx.shop.currency),
    earn: purchase && purchase.points > 0 ? { points: purchase.points, spendMinor: purchase.spendMinor } : null,
    signupPoints: rule("SIGNUP")?.points || null,
    birthdayPoints: rule("BIRTHDAY")?.points || null,
    tierBasis: ctx.program.tierBasis,
    tiers: ctx.tiers.map(statusTier),
    rewards: rewards.filter(redeemable).map((r) => statusReward(r, ctx.tiers)),
  };
}

/** What the storefront shows of a shop's program: the same for every shopper, so it can be cached. */
export interface ShopStatusBasis {
  ctx: ShopContext;
  /** The shop's active rewards, cheapest first (then by name). */
  rewards: Reward[];
  program: ProgramSummary;
}

/** The columns of an OrderRecord that timelineOrder reads: the storefront reads only these. */
export type TimelineOrderRecord = Pick<OrderRecord, "id" | "processedAt" | "cancelledAt" | "goods" | "refunds" | "earnBasis">;

/** The rows of one member that their status is built from. */
export interface MemberStatusFacts {
  member: Pick<Member, "id" | "balance" | "tierId" | "tierBaselineId" | "tierBaselineAt">;
  /** The member's orders, oldest first (what timelineOrder reads of them). */
  orders: TimelineOrderRecord[];
  /** Qualifying ledger entries that are not an order's. */
  credits: { id: string; occurredAt: Date; points: number; waivedPoints: number }[];
  /** Earlier baselines, oldest first (memberTimeline's `earlier`). */
  pastBaselines: TierBaseline[];
  /** Unspent credits expiring within EXPIRING_SOON_DAYS of now, soonest first. */
  expiring: { remaining: number; expiresAt: Date | null }[];
  /** Issued, unexpired codes, newest first, at most 5. */
  codes: { code: string; reward: { name: string }; expiresAt: Date }[];
}

export function shopStatusBasis(ctx: ShopContext, rewards: Reward[]): ShopStatusBasis {
  return { ctx, rewards, program: programSummary(ctx, rewards) };
}

/** The window of "expiring soon" points: after now, at most EXPIRING_SOON_DAYS ahead. */
export function expiringWindow(now: Date): { after: Date; until: Date } {
  return { after: now, until: new Date(now.getTime() + EXPIRING_SOON_DAYS * DAY) };
}

/**
 * The storefront status for a visitor: the program summary, plus the member's own numbers when
 * `platformCustomerId` is a signed-in customer. Null when the shop has no program. The reads are
 * Prisma's; the Shopify app proxy's fast path reads the same rows with plain SQL and a cached
 * program (app/storefront/status-reader.server.ts) and builds the answer with the same functions.
 */
export async function storefrontStatus(
  db: Db,
  input: { shopDomain: string; platformCustomerId: string | null },
  now = new Date(),
): Promise<StorefrontStatus | null> {
  const ctx = await loadShopContext(db, input.shopDomain);
  if (!ctx) return null;
  const rewards = await db.reward.findMany({ where: { shopId: ctx.shop.id, active: true }, orderBy: [{ pointsCost: "asc" }, { name: "asc" }] });
  const basis = shopStatusBasis(ctx, rewards);
  if (!input.platformCustomerId) return statusFor(basis, null);
  const member = await db.member.findFirst({
    where: { shopId: ctx.shop.id, platformCustomerId: input.platformCustomerId, redactedAt: null },
  });
  if (!member) return statusFor(basis, undefined);
  const window = expiringWindow(now);
  const facts: MemberStatusFacts = {
    member,
    orders: await db.orderRecord.findMany({ where: { shopId: member.shopId, memberId: member.id }, orderBy: { processedAt: "asc" } }),
    credits: await db.ledgerEntry.findMany({
      where: { memberId: member.id, orderId: null, qualifying: true },
      select: { id: true, occurredAt: true, points: true, waivedPoints: true },
    }),
    pastBaselines: (await pastBaselinesOf(db, [member.id])).get(member.id) ?? [],
    expiring: await db.ledgerEntry.findMany({
      where: { memberId: member.id, remaining: { gt: 0 }, expiresAt: { gt: window.after, lte: window.until } },
      select: { remaining: true, expiresAt: true },
      orderBy: { expiresAt: "asc" },
    }),
    codes: await db.redemption.findMany({
      where: { memberId: member.id, status: "ISSUED", expiresAt: { gt: now } },
      orderBy: { createdAt: "desc" },
      take: 5,
      include: { reward: { select: { name: true } } },
    }),
  };
  return statusFor(basis, facts, now);
}

/**
 * The answer from the shop's basis and the viewer: null facts for a visitor who is not signed in,
 * undefined for a signed-in customer who is not a member, a member's facts otherwise.
 */
export function statusFor(basis: ShopStatusBasis, facts: MemberStatusFacts | null | undefined, now = new Date()): StorefrontStatus {
  if (facts === null) return { viewer: "guest", program: basis.program, member: null };
  if (facts === undefined) return { viewer: "customer", program: basis.program, member: null };
  return { viewer: "member", program: basis.program, member: memberStatus(basis, facts, now) };
}

function memberStatus({ ctx, rewards }: ShopStatusBasis, facts: MemberStatusFacts, now: Date): MemberStatus {
  const { member } = facts;
  const qualifyingAmount = currentQualifyingAmount(ctx, facts, now);
  const held = ctx.tiers.find((t) => t.id === member.tierId) ?? null;
  const next = ctx.tiers.find((t) => t.threshold > (held?.threshold ?? Number.NEGATIVE_INFINITY) && t.id !== held?.id) ?? null;
  let nextTier: MemberStatus["nextTier"] = null;
  if (next) {
    const floor = held?.threshold ?? 0;
    const span = Math.max(1, next.threshold - floor);
    const progress = Math.round(((qualifyingAmount - floor) / span) * 100);
    nextTier = {
      ...statusTier(next),
      remaining: Math.max(0, next.threshold - qualifyingAmount),
      progressPercent: Math.min(100, Math.max(0, progress)),
    };
  }

  const heldThreshold = held?.threshold ?? Number.NEGATIVE_INFINITY;
  const affordable = rewards.filter(redeemable).flatMap((reward) => {
    const required = ctx.tiers.find((t) => t.id === reward.minimumTierId);
    if (required && heldThreshold < required.threshold) return [];
    const shape = statusReward(reward, ctx.tiers);
    if (reward.kind === "VARIABLE_AMOUNT") {
      const top = Math.min(reward.maxPoints, member.balance);
      const maxAffordable = top - (top % reward.pointsPerUnit);
      return maxAffordable >= reward.minPoints ? [{ ...shape, maxAffordable }] : [];
    }
    return member.balance >= reward.pointsCost ? [{ ...shape, maxAffordable: reward.pointsCost }] : [];
  });

  const expiringPoints = facts.expiring.reduce((sum, e) => sum + e.remaining, 0);
  return {
    balance: member.balance,
    tier: held ? { id: held.id, name: held.name } : null,
    nextTier,
    qualifying: { basis: ctx.program.tierBasis, amount: qualifyingAmount },
    rewards: affordable,
    expiring: expiringPoints > 0 ? { points: expiringPoints, at: facts.expiring[0].expiresAt!.toISOString() } : null,
    codes: facts.codes.map((c) => ({ code: c.code, reward: c.reward.name, expiresAt: c.expiresAt.toISOString() })),
    referralUrl: null,
  };
}

/**
 * Points (or spend) counted toward tiers in the period that ends now: the member's history
 * replayed with the current tier rules, with an empty credit at `now` so a rolling or calendar
 * window is measured from today rather than from the last order.
 */
function currentQualifyingAmount(ctx: ShopContext, facts: MemberStatusFacts, now: Date) {
  // timelineOrder takes a whole OrderRecord but reads only TimelineOrderRecord's columns.
  const orders = facts.orders.map((o) => timelineOrder(o as OrderRecord)).filter((o): o is TimelineOrder => o !== null);
  const credits: TimelineCredit[] = facts.credits.map((c) => ({ id: c.id, at: c.occurredAt, points: c.points - c.waivedPoints }));
  credits.push({ id: "\uffffnow", at: now, points: 0 });
  const result = memberTimeline({
    orders,
    credits,
    current: currentTierRules(ctx),
    baseline: { tierId: facts.member.tierBaselineId, at: facts.member.tierBaselineAt },
    earlier: facts.pastBaselines,
  });
  return Math.max(0, result.qualifyingAmount);
}
