import { z } from "zod";
import type { Db } from "../db.server";
import type { Locale } from "../i18n/messages";
import { formatMinor, toMinor, currencyDecimals } from "../loyalty/money";
import { previewTierDistribution, reevaluateMembers } from "../loyalty/tier-evaluation.server";
import { writeTransaction } from "../loyalty/transaction.server";
import { MAX_TIERS, type TierRow } from "./constants";
import { msg, parseWith, type Parsed } from "./validation.server";


/** The tier editor's state as strings; thresholds are points, or money for a spend basis. */
export async function loadTierSettings(db: Db, shopId: string) {
  const shop = await db.shop.findUniqueOrThrow({
    where: { id: shopId },
    include: { program: true, tiers: { orderBy: { position: "asc" } }, rewards: { where: { active: true }, orderBy: { name: "asc" } } },
  });
  const spend = shop.program!.tierBasis === "SPEND";
  const amount = (n: number) => (spend ? formatMinor(n, shop.currency) : String(n));
  const counts = await db.member.groupBy({ by: ["tierId"], where: { shopId, redactedAt: null }, _count: { _all: true } });
  return {
    currency: shop.currency,
    basis: shop.program!.tierBasis,
    period: shop.program!.tierPeriod,
    rewards: shop.rewards.map((r) => ({ id: r.id, name: r.name })),
    membersPerTier: Object.fromEntries(counts.map((c) => [c.tierId ?? "none", c._count._all])),
    tiers: shop.tiers.map<TierRow>((t) => ({
      id: t.id,
      name: t.name,
      threshold: amount(t.threshold),
      retainThreshold: t.retainThreshold === null ? "" : amount(t.retainThreshold),
      multiplier: (t.multiplierPercent / 100).toFixed(2),
      perks: (JSON.parse(t.perks) as string[]).join("\n"),
      entryRewardId: t.entryRewardId ?? "",
    })),
  };
}

function tiersSchema(currency: string, rewardIds: Set<string>, tierIds: Set<string>) {
  const decimals = currencyDecimals(currency);
  const amountPattern = new RegExp(decimals === 0 ? "^\\d{1,9}$" : `^\\d{1,9}(\\.\\d{1,${decimals}})?$`);
  return z
    .object({
      tierBasis: z.enum(["POINTS", "SPEND"], { message: msg("admin.errors.choice") }),
      tierPeriod: z.enum(["LIFETIME", "CALENDAR_YEAR", "ROLLING_12_MONTHS"], { message: msg("admin.errors.choice") }),
      tiers: z
        .array(
          z.object({
            id: z.string().max(40).default(""),
            name: z.string().trim().min(1, msg("admin.errors.required")).max(40, msg("admin.errors.maxLength", { max: 40 })),
            threshold: z.string().trim().min(1, msg("admin.errors.required")),
            retainThreshold: z.string().trim().default(""),
            multiplier: z
              .string()
              .trim()
              .regex(/^\d{1,2}(\.\d{1,2})?$/, msg("admin.errors.multiplier"))
              .transform((v) => Math.round(Number(v) * 100))
              .pipe(z.number().min(100, msg("admin.errors.multiplier")).max(1000, msg("admin.errors.multiplier"))),
            perks: z
              .string()
              .default("")
              .transform((v) => v.split("\n").map((p) => p.trim()).filter(Boolean))
              .pipe(z.array(z.string().max(120, msg("admin.errors.maxLength", { max: 120 }))).max(10, msg("admin.errors.tooMany", { max: 10 }))),
            entryRewardId: z.string().default("").refine((v) => v === "" || rewardIds.has(v), msg("admin.errors.choice")),
          }),
        )
        .min(1, msg("admin.tiers.errors.atLeastOne"))
        .max(MAX_TIERS, msg("admin.errors.tooMany", { max: MAX_TIERS })),
    })
    .transform((input, ctx) => {
      const spend = input.tierBasis === "SPEND";
      const parseAmount = (text: string, path: (string | number)[]) => {
        const ok = spend ? amountPattern.test(text) : /^\d{1,9}$/.test(text);
        if (!ok) {
          ctx.addIssue({ code: "custom", path, message: msg(spend ? "admin.errors.amount" : "admin.errors.wholeNumber") });
          return 0;
        }
        return spend ? toMinor(text, currency) : Number(text);
      };
      const tiers = input.tiers.map((t, i) => {
        const threshold = parseAmount(t.threshold, ["tiers", i, "threshold"]);
        const retain = t.retainThreshold === "" ? null : parseAmount(t.retainThreshold, ["tiers", i, "retainThreshold"]);
        if (retain !== null && retain > threshold) ctx.addIssue({ code: "custom", path: ["tiers", i, "retainThreshold"], message: msg("admin.tiers.errors.retain") });
        if (t.id && !tierIds.has(t.id)) ctx.addIssue({ code: "custom", path: ["tiers", i, "name"], message: msg("admin.errors.invalid") });
        return { id: t.id || null, name: t.name, threshold, retainThreshold: retain, multiplierPercent: t.multiplier, perks: t.perks, entryRewardId: t.entryRewardId || null };
      });
      const names = new Set<string>();
      tiers.forEach((t, i) => {
        const key = t.name.toLowerCase();
        if (names.has(key)) ctx.addIssue({ code: "custom", path: ["tiers", i, "name"], message: msg("admin.tiers.errors.duplicateName") });
        names.add(key);
        if (i > 0 && t.threshold <= tiers[i - 1].threshold) ctx.addIssue({ code: "custom", path: ["tiers", i, "threshold"], message: msg("admin.tiers.errors.ascending") });
      });
      if (tiers[0] && tiers[0].threshold !== 0) ctx.addIssue({ code: "custom", path: ["tiers", 0, "threshold"], message: msg("admin.tiers.errors.firstZero") });
      return { basis: input.tierBasis, period: input.tierPeriod, tiers };
    });
}

export type TierSettings = z.output<ReturnType<typeof tiersSchema>>;

export async function parseTierSettings(db: Db, shopId: string, form: Record<string, string>, locale: Locale): Promise<Parsed<TierSettings>> {
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId }, include: { rewards: { select: { id: true } }, tiers: { select: { id: true } } } });
  let tiers: unknown;
  try {
    tiers = JSON.parse(form.tiers ?? "[]");
  } catch {
    tiers = null;
  }
  return parseWith(
    tiersSchema(shop.currency, new Set(shop.rewards.map((r) => r.id)), new Set(shop.tiers.map((t) => t.id))),
    { tierBasis: form.tierBasis, tierPeriod: form.tierPeriod, tiers },
    locale,
  );
}

/** Members per tier (by position in the submitted list, "none" below the first) if saved now. */
export async function previewTiers(db: Db, shopId: string, settings: TierSettings) {
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId } });
  const ladder = settings.tiers.map((t, i) => ({ tierId: String(i), threshold: t.threshold, multiplierPercent: t.multiplierPercent }));
  const counts = await previewTierDistribution(db, shopId, { ladder, basis: settings.basis, period: settings.period, timezone: shop.timezone });
  return settings.tiers.map((t, i) => ({ name: t.name, members: counts[String(i)] ?? 0 })).concat([{ name: "", members: counts.none ?? 0 }]);
}

/** Saves the ladder (in order), then moves every member to the tier their history earns under it. */
export async function saveTiers(db: Db, shopId: string, settings: TierSettings, now = new Date()) {
  const shop = await writeTransaction(db, async (tx) => {
    await tx.program.update({ where: { shopId }, data: { tierBasis: settings.basis, tierPeriod: settings.period } });
    const keep = settings.tiers.flatMap((t) => (t.id ? [t.id] : []));
    await tx.tier.deleteMany({ where: { shopId, id: { notIn: keep } } });
    await tx.tierOverride.deleteMany({ where: { shopId, tierId: { notIn: keep } } });
    // Positions are unique: park the kept tiers out of the way before renumbering.
    for (const [i, id] of keep.entries()) await tx.tier.update({ where: { id }, data: { position: -1 - i } });
    for (const [position, t] of settings.tiers.entries()) {
      const data = {
        name: t.name,
        position,
        threshold: t.threshold,
        retainThreshold: t.retainThreshold,
        multiplierPercent: t.multiplierPercent,
        perks: JSON.stringify(t.perks),
        entryRewardId: t.entryRewardId,
      };
      if (t.id) await tx.tier.update({ where: { id: t.id }, data });
      else await tx.tier.create({ data: { shopId, ...data } });
    }
    return tx.shop.findUniqueOrThrow({ where: { id: shopId } });
  });
  return reevaluateMembers(db, shop.domain, now);
}
