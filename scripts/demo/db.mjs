// Direct SQLite access for the demo: installing the demo shop (there is no Shopify OAuth locally)
// and reading the results. Writes happen only before the server starts; reads are read-only.
import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";

/** How Prisma's better-sqlite3 adapter stores a DateTime (timestampFormat "iso8601"). */
export const prismaTime = (date = new Date()) => date.toISOString().replace("Z", "+00:00");

/**
 * The same rows as installShop() in app/loyalty/program.server.ts, in one transaction: the shop,
 * its program with the schema's defaults, 1 point per 1.00 spent, 100 welcome points, 200 birthday
 * points, Bronze 0 / Silver 500 (x1.25) / Gold 1000 (x1.50). Like installShop, a shop that already
 * has a program is only marked installed again; its program and members are kept.
 */
export function installDemoShop(file, domain, { currency = "USD", timezone = "UTC", locale = "en" } = {}) {
  const db = new Database(file);
  db.pragma("busy_timeout = 15000");
  try {
    return db.transaction(() => {
      const now = prismaTime();
      const existing = db.prepare(`SELECT id FROM "Shop" WHERE domain = ?`).get(domain);
      const hasProgram = existing && db.prepare(`SELECT 1 FROM "Program" WHERE shopId = ?`).get(existing.id);
      if (hasProgram) {
        db.prepare(`UPDATE "Shop" SET uninstalledAt = NULL, currency = ?, timezone = ?, updatedAt = ? WHERE id = ?`).run(currency, timezone, now, existing.id);
        return { shopId: existing.id, created: false };
      }
      const shopId = existing?.id ?? randomUUID();
      if (!existing) {
        db.prepare(
          `INSERT INTO "Shop" (id, domain, platform, currency, timezone, locale, installedAt, uninstalledAt, createdAt, updatedAt)
           VALUES (?, ?, 'SHOPIFY', ?, ?, ?, ?, NULL, ?, ?)`,
        ).run(shopId, domain, currency.toUpperCase(), timezone, locale, now, now, now);
      }
      db.prepare(
        `INSERT INTO "Program" (shopId, active, awardOn, rounding, includeShipping, includeTaxes, excludedProductIds,
           excludedCollectionIds, guestOrderMatching, negativeBalancePolicy, tierBasis, tierPeriod, updatedAt)
         VALUES (?, 1, 'PAID', 'DOWN', 0, 0, '[]', '[]', 1, 'FLOOR_AT_ZERO', 'POINTS', 'LIFETIME', ?)`,
      ).run(shopId, now);
      const rule = db.prepare(
        `INSERT INTO "EarningRule" (id, shopId, kind, active, points, spendMinor, createdAt, updatedAt) VALUES (?, ?, ?, 1, ?, ?, ?, ?)`,
      );
      rule.run(randomUUID(), shopId, "PURCHASE", 1, 100, now, now);
      rule.run(randomUUID(), shopId, "SIGNUP", 100, 100, now, now);
      rule.run(randomUUID(), shopId, "BIRTHDAY", 200, 100, now, now);
      const tier = db.prepare(
        `INSERT INTO "Tier" (id, shopId, name, position, threshold, retainThreshold, multiplierPercent, perks, createdAt, updatedAt)
         VALUES (?, ?, ?, ?, ?, NULL, ?, '[]', ?, ?)`,
      );
      tier.run(randomUUID(), shopId, "Bronze", 0, 0, 100, now, now);
      tier.run(randomUUID(), shopId, "Silver", 1, 500, 125, now, now);
      tier.run(randomUUID(), shopId, "Gold", 2, 1000, 150, now, now);
      return { shopId, created: true };
    })();
  } finally {
    db.close();
  }
}

function readOnly(file) {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  return db;
}

export function memberCount(file, domain) {
  const db = readOnly(file);
  try {
    return db.prepare(`SELECT COUNT(*) AS n FROM "Member" m JOIN "Shop" s ON s.id = m.shopId WHERE s.domain = ?`).get(domain).n;
  } finally {
    db.close();
  }
}

/** The numbers the summary prints, plus a ledger check: cached balances against the ledger. */
export function programStats(file, domain) {
  const db = readOnly(file);
  try {
    const shop = db.prepare(`SELECT id, currency, timezone FROM "Shop" WHERE domain = ?`).get(domain);
    if (!shop) return null;
    const one = (sql) => db.prepare(sql).get(shop.id);
    const members = one(`SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN balance > 0 THEN balance END), 0) AS outstanding,
      COALESCE(SUM(lifetimePoints), 0) AS lifetime FROM "Member" WHERE shopId = ? AND redactedAt IS NULL`);
    const tiers = db.prepare(
      `SELECT t.name, t.threshold, t.multiplierPercent, COUNT(m.id) AS members FROM "Tier" t
       LEFT JOIN "Member" m ON m.tierId = t.id AND m.redactedAt IS NULL WHERE t.shopId = ? GROUP BY t.id ORDER BY t.position`,
    ).all(shop.id);
    const top = db.prepare(
      `SELECT m.platformCustomerId, m.firstName, m.lastName, m.email, m.balance, m.lifetimePoints, t.name AS tier,
         (SELECT COUNT(*) FROM "OrderRecord" o WHERE o.memberId = m.id) AS orders
       FROM "Member" m LEFT JOIN "Tier" t ON t.id = m.tierId WHERE m.shopId = ? AND m.redactedAt IS NULL
       ORDER BY m.balance DESC, m.platformCustomerId LIMIT 5`,
    ).all(shop.id);
    const orders = one(`SELECT COUNT(*) AS n, SUM(cancelledAt IS NOT NULL) AS cancelled, SUM(refunds <> '[]') AS refunded,
      COALESCE(SUM(earnedPoints), 0) AS earned, COALESCE(SUM(reversedPoints), 0) AS reversed FROM "OrderRecord" WHERE shopId = ?`);
    const ledger = one(`SELECT COUNT(*) AS n FROM "LedgerEntry" WHERE shopId = ?`).n;
    const deliveries = one(`SELECT COUNT(*) AS n FROM "WebhookDelivery" WHERE shopId = ?`).n;
    const tierChanges = one(`SELECT COUNT(*) AS n FROM "TierChange" WHERE shopId = ?`).n;
    const mismatched = one(
      `SELECT COUNT(*) AS n FROM "Member" m LEFT JOIN (
         SELECT memberId, SUM(points) AS balance, SUM(CASE WHEN qualifying THEN points - waivedPoints ELSE 0 END) AS lifetime,
           SUM(remaining) AS remaining FROM "LedgerEntry" GROUP BY memberId) l ON l.memberId = m.id
       WHERE m.shopId = ? AND (m.balance <> COALESCE(l.balance, 0) OR m.lifetimePoints <> COALESCE(l.lifetime, 0)
         OR COALESCE(l.remaining, 0) <> MAX(COALESCE(l.balance, 0), 0))`,
    ).n;
    return { shop, members, tiers, top, orders, ledger, deliveries, tierChanges, mismatched };
  } finally {
    db.close();
  }
}

/** One member with their tier, by Shopify customer id. */
export function memberByCustomerId(file, domain, customerId) {
  const db = readOnly(file);
  try {
    return db.prepare(
      `SELECT m.platformCustomerId, m.firstName, m.lastName, m.email, m.phone, m.acceptsMarketing, m.customerCreatedAt,
         m.balance, m.lifetimePoints, t.name AS tier, t.multiplierPercent
       FROM "Member" m JOIN "Shop" s ON s.id = m.shopId LEFT JOIN "Tier" t ON t.id = m.tierId
       WHERE s.domain = ? AND m.platformCustomerId = ?`,
    ).get(domain, String(customerId)) ?? null;
  } finally {
    db.close();
  }
}

/** The next order number after the shop's recorded orders (#1001 is the first). */
export function nextOrderNumber(file, domain) {
  const db = readOnly(file);
  try {
    return 1001 + db.prepare(`SELECT COUNT(*) AS n FROM "OrderRecord" o JOIN "Shop" s ON s.id = o.shopId WHERE s.domain = ?`).get(domain).n;
  } finally {
    db.close();
  }
}
