import type { EarningRule, Program, Shop, Tier } from "@prisma/client";
import type { Sql } from "../db/sql.server";
import type { ShopContext } from "./shop-context.server";

/**
 * What the whole-shop batch passes (expiry-pass.server.ts, period-end-pass.server.ts) share: the
 * next chunk of members in id order (a keyset cursor, so a run resumes where it stopped), their
 * grouping by shop, and `IN (...)` lists of a fixed length so each statement is prepared once.
 * Plain SQL, run inside the pass's write transaction (sqlOf).
 */

/** Members per `IN (...)` list. Short lists are padded with NULL, which matches nothing. */
export const IN_LIST_SIZE = 500;
export const IN_LIST = Array.from({ length: IN_LIST_SIZE }, () => "?").join(", ");

export function* inLists<T>(values: T[]): Generator<(T | null)[]> {
  for (let i = 0; i < values.length; i += IN_LIST_SIZE) {
    const list: (T | null)[] = values.slice(i, i + IN_LIST_SIZE);
    while (list.length < IN_LIST_SIZE) list.push(null);
    yield list;
  }
}

export interface ChunkMember {
  id: string;
  shopId: string;
}

/**
 * The next `size` members after `cursor` (in id order) of installed shops that are not redacted
 * and match `condition` (plain SQL on alias m), with `columns` of Member. The join order is forced
 * (CROSS JOIN) so the scan follows the member ids and stops after `size` rows.
 */
export function memberChunk<T extends ChunkMember>(sql: Sql, columns: string[], condition: string, cursor: string | null, size: number): T[] {
  const list = ["id", "shopId", ...columns.filter((c) => c !== "id" && c !== "shopId")].map((c) => `m."${c}"`).join(", ");
  return sql.all<T>(
    `SELECT ${list} FROM "Member" m CROSS JOIN "Shop" s
     WHERE s."id" = m."shopId" AND m."id" > ? AND m."redactedAt" IS NULL AND s."uninstalledAt" IS NULL AND (${condition})
     ORDER BY m."id" ASC LIMIT ?`,
    cursor ?? "",
    size,
  );
}

/**
 * Which rows of a shop's members in the chunk a statement reads: the members' id range when they
 * are most of the chunk (one index range scan; members of other shops or filtered out in that
 * range are read too, so callers look results up by the group's ids), else lists of ids (one
 * index seek per member). `column` is the member id column of the table read.
 */
export interface MemberSelection {
  where: string;
  params: (string | null)[];
}

export function memberSelections(group: ChunkMember[], chunkLength: number, column = `"memberId"`): MemberSelection[] {
  if (group.length * 2 >= chunkLength) {
    return [{ where: `${column} >= ? AND ${column} <= ?`, params: [group[0].id, group[group.length - 1].id] }];
  }
  return [...inLists(group.map((m) => m.id))].map((params) => ({ where: `${column} IN (${IN_LIST})`, params }));
}

/** Consecutive runs of the same shop would do, but a chunk can interleave shops: group them all. */
export function byShop<T extends ChunkMember>(members: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const member of members) {
    const group = groups.get(member.shopId);
    if (group) group.push(member);
    else groups.set(member.shopId, [member]);
  }
  return groups;
}

/** The cursor after a chunk: the last id, or null when the chunk was the end. */
export function nextCursor(members: ChunkMember[], size: number): string | null {
  return members.length < size ? null : members[members.length - 1].id;
}

/** loadShopContext by shop id with plain SQL (a chunk can touch many small shops). */
export function shopContextById(sql: Sql, shopId: string): ShopContext | null {
  const shop = sql.one<Shop>("Shop", `SELECT * FROM "Shop" WHERE "id" = ?`, shopId);
  const program = shop && sql.one<Program>("Program", `SELECT * FROM "Program" WHERE "shopId" = ?`, shopId);
  if (!shop || !program) return null;
  const rules = sql.many<EarningRule>("EarningRule", `SELECT * FROM "EarningRule" WHERE "shopId" = ?`, shopId);
  const tiers = sql.many<Tier>("Tier", `SELECT * FROM "Tier" WHERE "shopId" = ? ORDER BY "position" ASC`, shopId);
  return { shop, program, rules, tiers };
}
