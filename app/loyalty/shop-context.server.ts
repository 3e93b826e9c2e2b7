import type { EarningRule, Program, Shop, Tier } from "@prisma/client";
import { sqlOf, type Tx } from "../db.server";
import type { Sql } from "../db/sql.server";
import type { EarnBasis, LadderStep } from "./types";
import type { TierRules } from "./timeline";

export interface ShopContext {
  shop: Shop;
  program: Program;
  rules: EarningRule[];
  tiers: Tier[];
}

export class UnknownShopError extends Error {
  constructor(readonly domain: string) {
    super(`shop ${domain} has not installed Tierwise`);
  }
}

export async function loadShopContext(tx: Tx, domain: string): Promise<ShopContext | null> {
  const shop = await tx.shop.findUnique({
    where: { domain },
    include: { program: true, earningRules: true, tiers: { orderBy: { position: "asc" } } },
  });
  if (!shop || !shop.program) return null;
  const { program, earningRules, tiers, ...plain } = shop;
  return { shop: plain, program, rules: earningRules, tiers };
}

/**
 * The same context read with plain SQL inside a transaction (see app/db/sql.server.ts): the hot
 * path of applying webhooks reads it once per batch.
 */
export function loadShopContextInTransaction(tx: Tx, domain: string): ShopContext | null {
  return readShopContext(sqlOf(tx), domain);
}

/** The shop context read with plain SQL on any connection (the storefront reads it on its own). */
export function readShopContext(sql: Sql, domain: string): ShopContext | null {
  const shop = sql.one<Shop>("Shop", `SELECT * FROM "Shop" WHERE "domain" = ?`, domain);
  if (!shop) return null;
  const program = sql.one<Program>("Program", `SELECT * FROM "Program" WHERE "shopId" = ?`, shop.id);
  if (!program) return null;
  const rules = sql.many<EarningRule>("EarningRule", `SELECT * FROM "EarningRule" WHERE "shopId" = ?`, shop.id);
  const tiers = sql.many<Tier>("Tier", `SELECT * FROM "Tier" WHERE "shopId" = ? ORDER BY "position" ASC`, shop.id);
  return { shop, program, rules, tiers };
}

export function activeRule(ctx: ShopContext, kind: EarningRule["kind"]): EarningRule | null {
  return ctx.rules.find((rule) => rule.kind === kind && rule.active) ?? null;
}

export function ladder(tiers: Tier[]): LadderStep[] {
  return tiers.map((t) => ({ tierId: t.id, threshold: t.threshold, multiplierPercent: t.multiplierPercent }));
}

export function currentTierRules(ctx: ShopContext): TierRules {
  return {
    ladder: ladder(ctx.tiers),
    basis: ctx.program.tierBasis,
    period: ctx.program.tierPeriod,
    timezone: ctx.shop.timezone,
  };
}

function jsonStrings(text: string): string[] {
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value.map(String) : [];
}

/** The earning settings in force now, to be frozen on an order when it is first awarded. */
export function currentEarnBasis(ctx: ShopContext): EarnBasis {
  const purchase = ctx.program.active ? activeRule(ctx, "PURCHASE") : null;
  return {
    points: purchase?.points ?? 0,
    spendMinor: purchase?.spendMinor ?? 100,
    rounding: ctx.program.rounding,
    includeShipping: ctx.program.includeShipping,
    includeTaxes: ctx.program.includeTaxes,
    excludedProductIds: jsonStrings(ctx.program.excludedProductIds),
    ladder: ladder(ctx.tiers),
    tierBasis: ctx.program.tierBasis,
    tierPeriod: ctx.program.tierPeriod,
    timezone: ctx.shop.timezone,
  };
}
