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

/** What a pass reports for a chunk: its counts, and where the next chunk starts (null after the last). */
export interface PassChunk<C> {
  counts: C;
  cursor: string | null;
}

export interface ChunkMember {
  id: string;
  shopId: string;
}

/** The members a chunk covers: ids from `first` to `last`, `count` of them (the chunk's size unless it is the last). */
export interface MemberRange {
  first: string;
  last: string;
  count: number;
}

/**
 * The next `size` members after `cursor` in id order, as a range of ids, read from the primary
 * key's index alone: members a pass has nothing to do for cost it almost nothing. Null when no
 * member is left. A full chunk's last id is found by skipping (OFFSET steps over the index
 * entries without making a row of each: a fifth of the cost of counting them); only the last,
 * shorter chunk is counted.
 */
export function memberRange(sql: Sql, cursor: string | null, size: number): MemberRange | null {
  if (!Number.isInteger(size) || size < 1) throw new Error(`a chunk of members has a size of at least 1, not ${size}`);
  const after = cursor ?? "";
  const first = sql.get<{ id: string }>(`SELECT "id" FROM "Member" WHERE "id" > ? ORDER BY "id" ASC LIMIT 1`, after);
  if (!first) return null;
  const last = sql.get<{ id: string }>(`SELECT "id" FROM "Member" WHERE "id" > ? ORDER BY "id" ASC LIMIT 1 OFFSET ?`, after, size - 1);
  if (last) return { first: first.id, last: last.id, count: size };
  const rest = sql.get<{ last: string; count: number }>(
    `SELECT MAX("id") AS "last", COUNT(*) AS "count" FROM "Member" WHERE "id" > ?`,
    after,
  )!;
  return { first: first.id, last: rest.last, count: rest.count };
}

/** Where the next chunk starts (after this one's last id), or null when this chunk was the end. */
export function nextCursor(range: MemberRange | null, size: number): string | null {
  return range && range.count >= size ? range.last : null;
}

/** Shops that are installed, by id (a chunk's members are looked up in it). */
export function installedShops(sql: Sql, ids: Iterable<string>): Set<string> {
  const installed = new Set<string>();
  for (const list of inLists([...new Set(ids)])) {
    for (const row of sql.all<{ id: string }>(`SELECT "id" FROM "Shop" WHERE "id" IN (${IN_LIST}) AND "uninstalledAt" IS NULL`, ...list)) installed.add(row.id);
  }
  return installed;
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
  if (group.length === 0) return [];
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

/** loadShopContext by shop id with plain SQL (a chunk can touch many small shops). */
export function shopContextById(sql: Sql, shopId: string): ShopContext | null {
  const shop = sql.one<Shop>("Shop", `SELECT * FROM "Shop" WHERE "id" = ?`, shopId);
  const program = shop && sql.one<Program>("Program", `SELECT * FROM "Program" WHERE "shopId" = ?`, shopId);
  if (!shop || !program) return null;
  const rules = sql.many<EarningRule>("EarningRule", `SELECT * FROM "EarningRule" WHERE "shopId" = ?`, shopId);
  const tiers = sql.many<Tier>("Tier", `SELECT * FROM "Tier" WHERE "shopId" = ? ORDER BY "position" ASC`, shopId);
  return { shop, program, rules, tiers };
}
