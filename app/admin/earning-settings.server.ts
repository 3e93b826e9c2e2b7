import { z } from "zod";
import type { Db } from "../db.server";
import type { Locale } from "../i18n/messages";
import { currencyDecimals, formatMinor, toMinor } from "../loyalty/money";
import { writeTransaction } from "../loyalty/transaction.server";
import { msg, parseWith, type Parsed } from "./validation.server";

const checkbox = z.enum(["on", "true", "false", ""]).optional().transform((v) => v === "on" || v === "true");
const int = (min: number, max: number) =>
  z
    .string({ required_error: msg("admin.errors.required") })
    .trim()
    .min(1, msg("admin.errors.required"))
    .regex(/^-?\d+$/, msg("admin.errors.wholeNumber"))
    .transform(Number)
    .pipe(z.number().min(min, msg("admin.errors.min", { min })).max(max, msg("admin.errors.max", { max })));

/** Product or collection ids: numbers or Shopify GIDs, one per line or comma separated. */
const idList = (kind: "Product" | "Collection") =>
  z
    .string()
    .optional()
    .transform((text) => (text ?? "").split(/[\s,]+/).filter(Boolean))
    .pipe(
      z
        .array(z.string().regex(new RegExp(`^(\\d{1,20}|gid://shopify/${kind}/\\d{1,20})$`), msg("admin.errors.resourceId", { kind })))
        .max(250, msg("admin.errors.tooMany", { max: 250 })),
    )
    .transform((ids) => [...new Set(ids.map((id) => (id.startsWith("gid://") ? id.split("/").pop()! : id)))]);

export function earningSchema(currency: string) {
  const decimals = currencyDecimals(currency);
  const amount = new RegExp(decimals === 0 ? "^\\d{1,9}$" : `^\\d{1,9}(\\.\\d{1,${decimals}})?$`);
  return z.object({
    active: checkbox,
    points: int(1, 10_000),
    spendAmount: z
      .string()
      .trim()
      .min(1, msg("admin.errors.required"))
      .regex(amount, msg("admin.errors.amount"))
      .transform((v) => toMinor(v, currency))
      .pipe(z.number().min(1, msg("admin.errors.positiveAmount"))),
    awardOn: z.enum(["PAID", "FULFILLED"], { message: msg("admin.errors.choice") }),
    rounding: z.enum(["DOWN", "NEAREST", "UP"], { message: msg("admin.errors.choice") }),
    includeShipping: checkbox,
    includeTaxes: checkbox,
    excludedProductIds: idList("Product"),
    excludedCollectionIds: idList("Collection"),
    welcomeActive: checkbox,
    welcomePoints: int(0, 100_000),
    birthdayActive: checkbox,
    birthdayPoints: int(0, 100_000),
    guestOrderMatching: checkbox,
    negativeBalancePolicy: z.enum(["FLOOR_AT_ZERO", "ALLOW_DEBT"], { message: msg("admin.errors.choice") }),
  });
}

export type EarningSettings = z.infer<ReturnType<typeof earningSchema>>;

/** The form's values as strings, the way the form shows them. */
export async function loadEarningSettings(db: Db, shopId: string) {
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId }, include: { program: true, earningRules: true } });
  const program = shop.program!;
  const rule = (kind: "PURCHASE" | "SIGNUP" | "BIRTHDAY") => shop.earningRules.find((r) => r.kind === kind);
  const purchase = rule("PURCHASE");
  return {
    currency: shop.currency,
    values: {
      active: program.active && (purchase?.active ?? false) ? "on" : "",
      points: String(purchase?.points ?? 1),
      spendAmount: formatMinor(purchase?.spendMinor ?? 100, shop.currency),
      awardOn: program.awardOn,
      rounding: program.rounding,
      includeShipping: program.includeShipping ? "on" : "",
      includeTaxes: program.includeTaxes ? "on" : "",
      excludedProductIds: (JSON.parse(program.excludedProductIds) as string[]).join("\n"),
      excludedCollectionIds: (JSON.parse(program.excludedCollectionIds) as string[]).join("\n"),
      welcomeActive: rule("SIGNUP")?.active ? "on" : "",
      welcomePoints: String(rule("SIGNUP")?.points ?? 0),
      birthdayActive: rule("BIRTHDAY")?.active ? "on" : "",
      birthdayPoints: String(rule("BIRTHDAY")?.points ?? 0),
      guestOrderMatching: program.guestOrderMatching ? "on" : "",
      negativeBalancePolicy: program.negativeBalancePolicy,
    } as Record<string, string>,
  };
}

export function parseEarningSettings(input: Record<string, string>, currency: string, locale: Locale): Parsed<EarningSettings> {
  return parseWith(earningSchema(currency), input, locale);
}

/**
 * Saves the settings. Orders already awarded keep the settings they were awarded under (their
 * frozen EarnBasis); new settings apply to orders from now on.
 */
export async function saveEarningSettings(db: Db, shopId: string, s: EarningSettings) {
  await writeTransaction(db, async (tx) => {
    await tx.program.update({
      where: { shopId },
      data: {
        active: s.active,
        awardOn: s.awardOn,
        rounding: s.rounding,
        includeShipping: s.includeShipping,
        includeTaxes: s.includeTaxes,
        excludedProductIds: JSON.stringify(s.excludedProductIds),
        excludedCollectionIds: JSON.stringify(s.excludedCollectionIds),
        guestOrderMatching: s.guestOrderMatching,
        negativeBalancePolicy: s.negativeBalancePolicy,
      },
    });
    const rules = [
      { kind: "PURCHASE" as const, active: s.active, points: s.points, spendMinor: s.spendAmount },
      { kind: "SIGNUP" as const, active: s.welcomeActive, points: s.welcomePoints, spendMinor: 100 },
      { kind: "BIRTHDAY" as const, active: s.birthdayActive, points: s.birthdayPoints, spendMinor: 100 },
    ];
    for (const rule of rules) {
      await tx.earningRule.upsert({
        where: { shopId_kind: { shopId, kind: rule.kind } },
        create: { shopId, ...rule },
        update: { active: rule.active, points: rule.points, spendMinor: rule.spendMinor },
      });
    }
  });
}
