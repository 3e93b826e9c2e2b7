import type { Reward } from "@prisma/client";
import { pastBaselines } from "../loyalty/past-baselines.server";
import { readShopContext } from "../loyalty/shop-context.server";
import type { Sql } from "../db/sql.server";
import { expiringWindow, shopStatusBasis, statusFor, type MemberStatusFacts, type ShopStatusBasis, type StorefrontStatus } from "../loyalty/status.server";
import { storefrontReads, type ReadConnection } from "./read-connection.server";

/**
 * The storefront status (app/loyalty/status.server.ts) read without Prisma, for the widget's one
 * request per page view: plain SQL on the storefront's read connection, in one snapshot, with the
 * per-shop part (program, rules, tiers, rewards) cached. The answer is built by the same functions
 * as storefrontStatus; tests/integration/storefront-status-fast-path.test.ts checks they agree.
 *
 * Staleness (docs/decisions/013-storefront-status-fast-path.md): a member's own rows are read on
 * every request, never cached. A shop's cached part is checked on every request: if no other
 * connection has committed since it was checked (PRAGMA data_version), it is current; otherwise a
 * fingerprint of the shop's Shop, Program, EarningRule, Tier and Reward rows (how many, and the
 * latest updatedAt) is compared, and a change reloads it. Every write the app makes to those rows
 * stamps updatedAt (Prisma's @updatedAt, Sql.update), so a merchant's change shows on the next
 * request; a write that leaves updatedAt alone (a hand-run SQL UPDATE) shows within
 * PROGRAM_CACHE_MAX_AGE_MS, after which an entry is reloaded whatever its fingerprint says.
 */

export const PROGRAM_CACHE_MAX_AGE_MS = 5_000;
/** Shops kept; requests are signed by Shopify, so only real shops get here, but keep it bounded. */
const PROGRAM_CACHE_SHOPS = 10_000;

export interface ShopProgram extends ShopStatusBasis {
  /** JSON of `program`, serialized once for every answer that carries it. */
  programJson: string;
}

interface CacheEntry {
  shop: ShopProgram | null;
  fingerprint: string;
  dataVersion: number;
  loadedAt: number;
}

const caches = new WeakMap<ReadConnection, Map<string, CacheEntry>>();

const FINGERPRINT = `WITH s AS (SELECT "id", "updatedAt" FROM "Shop" WHERE "domain" = ?)
SELECT (SELECT count(*) || ',' || ifnull(max("updatedAt"), '') FROM s)
  || ';' || (SELECT count(*) || ',' || ifnull(max(x."updatedAt"), '') FROM "Program" x JOIN s ON x."shopId" = s."id")
  || ';' || (SELECT count(*) || ',' || ifnull(max(x."updatedAt"), '') FROM "EarningRule" x JOIN s ON x."shopId" = s."id")
  || ';' || (SELECT count(*) || ',' || ifnull(max(x."updatedAt"), '') FROM "Tier" x JOIN s ON x."shopId" = s."id")
  || ';' || (SELECT count(*) || ',' || ifnull(max(x."updatedAt"), '') FROM "Reward" x JOIN s ON x."shopId" = s."id") AS "fingerprint"`;

/** The shop's program as loadShopContext and storefrontStatus read it; null without a program. */
function loadShopProgram(sql: Sql, domain: string): ShopProgram | null {
  const ctx = readShopContext(sql, domain);
  if (!ctx) return null;
  const { shop, program, rules, tiers } = ctx;
  const rewards = sql.many<Reward>(
    "Reward",
    `SELECT * FROM "Reward" WHERE "shopId" = ? AND "active" = 1 ORDER BY "pointsCost" ASC, "name" ASC`,
    shop.id,
  );
  const basis = shopStatusBasis({ shop, program, rules, tiers }, rewards);
  return { ...basis, programJson: JSON.stringify(basis.program) };
}

/** The shop's cached program, checked against the database as the header comment describes. */
function currentShopProgram(reads: ReadConnection, domain: string, nowMs: number): ShopProgram | null {
  // data_version numbers belong to one connection: a new connection starts a new cache.
  let cache = caches.get(reads);
  if (!cache) caches.set(reads, (cache = new Map()));
  const dataVersion = reads.dataVersion();
  const fingerprintNow = () => reads.sql.get<{ fingerprint: string }>(FINGERPRINT, domain)!.fingerprint;
  const entry = cache.get(domain);
  let fingerprint: string | undefined;
  if (entry && nowMs - entry.loadedAt < PROGRAM_CACHE_MAX_AGE_MS) {
    if (entry.dataVersion === dataVersion) return entry.shop;
    fingerprint = fingerprintNow();
    if (fingerprint === entry.fingerprint) {
      entry.dataVersion = dataVersion;
      return entry.shop;
    }
  }
  fingerprint ??= fingerprintNow();
  const shop = loadShopProgram(reads.sql, domain);
  cache.delete(domain);
  if (cache.size >= PROGRAM_CACHE_SHOPS) cache.delete(cache.keys().next().value!);
  cache.set(domain, { shop, fingerprint, dataVersion, loadedAt: nowMs });
  return shop;
}

/** A member's rows, as storefrontStatus reads them with Prisma; undefined when not a member. */
function memberFacts(sql: Sql, shopId: string, platformCustomerId: string, now: Date): MemberStatusFacts | undefined {
  const member = sql.one<MemberStatusFacts["member"]>(
    "Member",
    `SELECT "id", "balance", "tierId", "tierBaselineId", "tierBaselineAt" FROM "Member" WHERE "shopId" = ? AND "platformCustomerId" = ? AND "redactedAt" IS NULL LIMIT 1`,
    shopId,
    platformCustomerId,
  );
  if (!member) return undefined;
  const window = expiringWindow(now);
  return {
    member,
    // A member's orders are the shop's: the shop narrows the search to the (shopId, memberId) index.
    orders: sql.many<MemberStatusFacts["orders"][number]>(
      "OrderRecord",
      `SELECT "id", "processedAt", "cancelledAt", "goods", "refunds", "earnBasis" FROM "OrderRecord" WHERE "shopId" = ? AND "memberId" = ? ORDER BY "processedAt" ASC`,
      shopId,
      member.id,
    ),
    credits: sql.many(
      "LedgerEntry",
      `SELECT "id", "occurredAt", "points", "waivedPoints" FROM "LedgerEntry" WHERE "memberId" = ? AND "orderId" IS NULL AND "qualifying" = 1`,
      member.id,
    ),
    pastBaselines: pastBaselines(sql, member.id),
    expiring: sql.many(
      "LedgerEntry",
      `SELECT "remaining", "expiresAt" FROM "LedgerEntry"
       WHERE "memberId" = ? AND "remaining" > 0 AND "expiresAt" > ? AND "expiresAt" <= ? ORDER BY "expiresAt" ASC`,
      member.id,
      window.after,
      window.until,
    ),
    codes: sql
      .all<{ code: string; reward: string; expiresAt: string }>(
        `SELECT r."code", w."name" AS "reward", r."expiresAt" FROM "Redemption" r JOIN "Reward" w ON w."id" = r."rewardId"
         WHERE r."memberId" = ? AND r."status" = 'ISSUED' AND r."expiresAt" > ? ORDER BY r."createdAt" DESC LIMIT 5`,
        member.id,
        now,
      )
      .map((c) => ({ code: c.code, reward: { name: c.reward }, expiresAt: new Date(c.expiresAt) })),
  };
}

export interface FastStatus {
  status: StorefrontStatus;
  /** JSON.stringify(status), with the shop's program serialized once per cache entry. */
  json: string;
}

/**
 * The storefront status for a visitor (platformCustomerId null) or a signed-in customer, or null
 * when the shop has no program: storefrontStatus's answer, read in one snapshot.
 */
export function readStorefrontStatus(input: { shopDomain: string; platformCustomerId: string | null }, now = new Date()): FastStatus | null {
  const reads = storefrontReads();
  return reads.snapshot(() => {
    const shop = currentShopProgram(reads, input.shopDomain, now.getTime());
    if (!shop) return null;
    const facts = input.platformCustomerId ? memberFacts(reads.sql, shop.ctx.shop.id, input.platformCustomerId, now) : null;
    const status = statusFor(shop, facts, now);
    // The same text JSON.stringify(status) gives: the keys in the same order, the program spliced in.
    const json = `{"viewer":${JSON.stringify(status.viewer)},"program":${shop.programJson},"member":${JSON.stringify(status.member)}}`;
    return { status, json };
  });
}
