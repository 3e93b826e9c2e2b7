import type { Db, Tx } from "../db.server";
import type { Sql } from "../db/sql.server";
import type { TierBaseline } from "./timeline";

/**
 * A member's earlier tier baselines (PastTierBaseline): the one a period-end evaluation replaces
 * is kept, so the orders placed while it was in force keep the price it gave them (memberTimeline's
 * `earlier`). Without it a period end re-priced the previous period's orders from history alone:
 * a member who had reached Silver years before and was kept at Bronze earned Silver points on last
 * year's orders at the year end.
 */

/** Keeps the member's current baseline before an evaluation moves it on (none: nothing to keep). */
export function keepBaseline(sql: Sql, memberId: string, baseline: TierBaseline) {
  if (!baseline.at) return;
  sql.run(
    `INSERT INTO "PastTierBaseline" ("memberId", "at", "tierId") VALUES (?, ?, ?) ON CONFLICT ("memberId", "at") DO NOTHING`,
    memberId, baseline.at, baseline.tierId,
  );
}

/** The member's earlier baselines, oldest first. */
export function pastBaselines(sql: Sql, memberId: string): TierBaseline[] {
  return sql
    .tuples<[string, string | null]>(`SELECT "at", "tierId" FROM "PastTierBaseline" WHERE "memberId" = ? ORDER BY "at" ASC`, memberId)
    .map(([at, tierId]) => ({ tierId, at: new Date(at) }));
}

/** The earlier baselines of many members (Prisma), by member; members without any are absent. */
export async function pastBaselinesOf(db: Db | Tx, memberIds: string[]): Promise<Map<string, TierBaseline[]>> {
  const rows = await db.pastTierBaseline.findMany({ where: { memberId: { in: memberIds } }, orderBy: { at: "asc" } });
  const of = new Map<string, TierBaseline[]>();
  for (const row of rows) {
    const list = of.get(row.memberId);
    if (list) list.push({ tierId: row.tierId, at: row.at });
    else of.set(row.memberId, [{ tierId: row.tierId, at: row.at }]);
  }
  return of;
}
