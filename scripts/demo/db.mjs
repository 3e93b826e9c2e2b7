// Direct SQLite access for the demo: installing the demo shop (there is no Shopify OAuth locally)
// and reading the results. Writes happen only before the server starts; reads are read-only.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";

/** How Prisma's better-sqlite3 adapter stores a DateTime (timestampFormat "iso8601"). */
export const prismaTime = (date = new Date()) => date.toISOString().replace("Z", "+00:00");

/**
 * Installs the demo shop through the app's own installShop() (scripts/demo/install-shop.ts), so the
 * demo program (earning rules, tiers, rewards) is exactly what a real install gets. A shop that
 * already has a program is only marked installed again; its program and members are kept.
 */
export function installDemoShop(file, domain, { currency = "USD", timezone = "UTC", accessToken = "" } = {}) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
  const result = spawnSync("npx", ["tsx", "scripts/demo/install-shop.ts", `file:${file}`, domain, currency, timezone, accessToken], {
    cwd: root,
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`installing the demo shop failed:\n${result.stderr || result.stdout}`);
  const { created } = JSON.parse(result.stdout.trim().split("\n").pop());
  return { created };
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
