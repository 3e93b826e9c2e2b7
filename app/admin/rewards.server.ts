import { z } from "zod";
import type { Db } from "../db.server";
import type { Locale } from "../i18n/messages";
import { currencyDecimals, formatMinor, toMinor } from "../loyalty/money";
import { REWARD_KINDS } from "./constants";
import { msg, parseWith, type Parsed } from "./validation.server";


const checkbox = z.enum(["on", "true", "false", ""]).optional().transform((v) => v === "on" || v === "true");
const intText = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d{1,9}$/, msg("admin.errors.wholeNumber"))
    .transform(Number)
    .pipe(z.number().min(min, msg("admin.errors.min", { min })).max(max, msg("admin.errors.max", { max })));

export function rewardSchema(currency: string, tierIds: Set<string>) {
  const decimals = currencyDecimals(currency);
  const money = z
    .string()
    .trim()
    .regex(new RegExp(decimals === 0 ? "^\\d{1,9}$" : `^\\d{1,9}(\\.\\d{1,${decimals}})?$`), msg("admin.errors.amount"))
    .transform((v) => toMinor(v, currency));
  return z
    .object({
      kind: z.enum(REWARD_KINDS, { message: msg("admin.errors.choice") }),
      name: z.string().trim().min(1, msg("admin.errors.required")).max(60, msg("admin.errors.maxLength", { max: 60 })),
      active: checkbox,
      pointsCost: z.string().default(""),
      value: z.string().default(""),
      percentage: z.string().default(""),
      variantId: z.string().trim().default(""),
      pointsPerUnit: z.string().default(""),
      minPoints: z.string().default(""),
      maxPoints: z.string().default(""),
      minimumSubtotal: z.string().trim().default(""),
      minimumTierId: z.string().default("").refine((v) => v === "" || tierIds.has(v), msg("admin.errors.choice")),
      codeExpiryDays: intText(1, 365),
      combinesWithOrder: checkbox,
      combinesWithProduct: checkbox,
      combinesWithShipping: checkbox,
    })
    .transform((input, ctx) => {
      // Only the fields of the chosen kind are read (and required); the others are stored as 0.
      const field = <S extends z.ZodTypeAny>(name: string, schema: S, text: string): z.output<S> | 0 => {
        const result = schema.safeParse(text);
        if (result.success) return result.data;
        ctx.addIssue({ code: "custom", path: [name], message: text.trim() === "" ? msg("admin.errors.required") : result.error.issues[0].message });
        return 0;
      };
      const kind = input.kind;
      const variable = kind === "VARIABLE_AMOUNT";
      const pointsCost = variable ? 0 : field("pointsCost", intText(1, 10_000_000), input.pointsCost);
      const valueMinor = kind === "FIXED_AMOUNT" || variable ? field("value", money.pipe(z.number().min(1, msg("admin.errors.positiveAmount"))), input.value) : 0;
      const percentage = kind === "PERCENTAGE" ? field("percentage", intText(1, 100), input.percentage) : 0;
      let variantId: string | null = null;
      if (kind === "FREE_PRODUCT") {
        const v = field("variantId", z.string().regex(/^(\d{1,20}|gid:\/\/shopify\/ProductVariant\/\d{1,20})$/, msg("admin.errors.resourceId", { kind: "ProductVariant" })), input.variantId);
        variantId = v ? String(v).split("/").pop()! : null;
      }
      const pointsPerUnit = variable ? field("pointsPerUnit", intText(1, 1_000_000), input.pointsPerUnit) : 0;
      const minPoints = variable ? field("minPoints", intText(1, 10_000_000), input.minPoints) : 0;
      const maxPoints = variable ? field("maxPoints", intText(1, 10_000_000), input.maxPoints) : 0;
      if (variable && pointsPerUnit > 0) {
        if (minPoints % pointsPerUnit !== 0) ctx.addIssue({ code: "custom", path: ["minPoints"], message: msg("admin.rewards.errors.step") });
        if (maxPoints % pointsPerUnit !== 0) ctx.addIssue({ code: "custom", path: ["maxPoints"], message: msg("admin.rewards.errors.step") });
        if (maxPoints < minPoints) ctx.addIssue({ code: "custom", path: ["maxPoints"], message: msg("admin.rewards.errors.maxBelowMin") });
      }
      const minimumSubtotalMinor = input.minimumSubtotal === "" ? null : field("minimumSubtotal", money, input.minimumSubtotal);
      return {
        kind,
        name: input.name,
        active: input.active,
        pointsCost,
        valueMinor,
        percentage,
        variantId,
        pointsPerUnit,
        minPoints,
        maxPoints,
        minimumSubtotalMinor: minimumSubtotalMinor === 0 && input.minimumSubtotal === "" ? null : minimumSubtotalMinor,
        minimumTierId: input.minimumTierId || null,
        codeExpiryDays: input.codeExpiryDays,
        combinesWithOrder: input.combinesWithOrder,
        combinesWithProduct: input.combinesWithProduct,
        combinesWithShipping: input.combinesWithShipping,
      };
    });
}

export type RewardInput = z.output<ReturnType<typeof rewardSchema>>;

export async function listRewards(db: Db, shopId: string) {
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId } });
  const rewards = await db.reward.findMany({ where: { shopId }, orderBy: [{ active: "desc" }, { createdAt: "asc" }] });
  const used = await db.redemption.groupBy({ by: ["rewardId"], where: { shopId }, _count: { _all: true } });
  return {
    currency: shop.currency,
    rewards: rewards.map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      active: r.active,
      pointsCost: r.pointsCost,
      valueMinor: r.valueMinor,
      percentage: r.percentage,
      pointsPerUnit: r.pointsPerUnit,
      redemptions: used.find((u) => u.rewardId === r.id)?._count._all ?? 0,
    })),
  };
}

export async function loadRewardForm(db: Db, shopId: string, rewardId: string | null) {
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId }, include: { tiers: { orderBy: { position: "asc" } } } });
  const reward = rewardId ? await db.reward.findFirst({ where: { id: rewardId, shopId } }) : null;
  if (rewardId && !reward) return null;
  const m = (n: number) => formatMinor(n, shop.currency);
  const values: Record<string, string> = reward
    ? {
        kind: reward.kind,
        name: reward.name,
        active: reward.active ? "on" : "",
        pointsCost: reward.pointsCost ? String(reward.pointsCost) : "",
        value: reward.valueMinor ? m(reward.valueMinor) : "",
        percentage: reward.percentage ? String(reward.percentage) : "",
        variantId: reward.variantId ?? "",
        pointsPerUnit: reward.pointsPerUnit ? String(reward.pointsPerUnit) : "",
        minPoints: reward.minPoints ? String(reward.minPoints) : "",
        maxPoints: reward.maxPoints ? String(reward.maxPoints) : "",
        minimumSubtotal: reward.minimumSubtotalMinor === null ? "" : m(reward.minimumSubtotalMinor),
        minimumTierId: reward.minimumTierId ?? "",
        codeExpiryDays: String(reward.codeExpiryDays),
        combinesWithOrder: reward.combinesWithOrder ? "on" : "",
        combinesWithProduct: reward.combinesWithProduct ? "on" : "",
        combinesWithShipping: reward.combinesWithShipping ? "on" : "",
      }
    : {
        kind: "FIXED_AMOUNT", name: "", active: "on", pointsCost: "", value: "", percentage: "", variantId: "", pointsPerUnit: "", minPoints: "", maxPoints: "",
        minimumSubtotal: "", minimumTierId: "", codeExpiryDays: "30", combinesWithOrder: "", combinesWithProduct: "", combinesWithShipping: "on",
      };
  return { currency: shop.currency, tiers: shop.tiers.map((t) => ({ id: t.id, name: t.name })), values, isNew: !reward };
}

export async function parseReward(db: Db, shopId: string, form: Record<string, string>, locale: Locale): Promise<Parsed<RewardInput>> {
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId }, include: { tiers: { select: { id: true } } } });
  return parseWith(rewardSchema(shop.currency, new Set(shop.tiers.map((t) => t.id))), form, locale);
}

/**
 * Creates or updates a reward. Issued codes keep the terms they were redeemed under (frozen on the
 * redemption); a reward is disabled, never deleted, once it has redemptions.
 */
export async function saveReward(db: Db, shopId: string, rewardId: string | null, input: RewardInput) {
  if (rewardId) {
    const { count } = await db.reward.updateMany({ where: { id: rewardId, shopId }, data: input });
    return count === 1 ? rewardId : null;
  }
  return (await db.reward.create({ data: { shopId, ...input } })).id;
}
