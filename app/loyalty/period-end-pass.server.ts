import type { Member, OrderRecord, Tier, TierPeriod } from "@prisma/client";
import type { Db, Tx } from "../db.server";
import { sqlDate, type Sql } from "../db/sql.server";
import { membersToReconcile } from "./baseline-shift.server";
import {
  byShop,
  IN_LIST,
  inLists,
  installedShops,
  memberRange,
  memberSelections,
  nextCursor,
  shopContextById,
  type ChunkMember,
  type MemberRange,
  type MemberSelection,
  type PassChunk,
} from "./member-chunks.server";
import { notDueFrom, periodEnds, qualifiedSpend, recordPeriodEndDowngrade, tierKept, type PeriodEnd } from "./period-end.server";
import { keepBaseline } from "./past-baselines.server";
import { reconcileMember } from "./reconcile.server";
import { ladder, type ShopContext } from "./shop-context.server";
import { stepFor } from "./timeline";
import { sqlOf, writeTransaction } from "./transaction.server";

/**
 * The period-end tier evaluation over a chunk of members in one transaction, with the results of
 * evaluateMemberTier (period-end.server.ts) for each: the qualified amount of the period that
 * ended (one grouped read of the ledger's covering index per chunk), the tier kept, the baseline
 * set, and for a member who drops a tier the TierChange, the tier sync in the outbox and the
 * tier_lost message. evaluateMemberTier then reconciles the member under the new baseline; the
 * pass does that only for the members where it can change something (baseline-shift.server.ts),
 * with the real reconcileMember in the same transaction.
 *
 * Under calendar-year points, most members of a shop keep their tier with nothing else to do: the
 * chunk's read leaves them in SQL (Settling, chunkMembers), and the set-based baseline writes
 * cover them, so only the members who may drop or need a reconcile come into JavaScript.
 */

export interface TierEvaluationCounts {
  members: number;
  evaluated: number;
  /** Of those evaluated, the ones decided in SQL alone: they keep their tier and need nothing else. */
  settled: number;
  downgraded: number;
  /** Members whose evaluation also needed the full reconcile (baseline-shift.server.ts). */
  reconciled: number;
}

type TierMember = ChunkMember &
  Pick<Member, "tierId" | "tierBaselineId" | "platformCustomerId"> & {
    tierBaselineAt: string | null;
    tierSince: string | null;
    enrolledAt: string;
    lastOrderAt: string | null;
  };

interface Due {
  member: TierMember;
  period: PeriodEnd;
  held: Tier;
  amount: number;
  kept: Tier | null;
  reconcile: boolean;
}

export async function evaluateTiersChunk(db: Db, options: { now: Date; cursor: string | null; size: number }): Promise<PassChunk<TierEvaluationCounts>> {
  return writeTransaction(db, async (tx) => {
    const sql = sqlOf(tx);
    const range = memberRange(sql, options.cursor, options.size);
    const counts: TierEvaluationCounts = { members: range?.count ?? 0, evaluated: 0, settled: 0, downgraded: 0, reconciled: 0 };
    if (!range) return { counts, cursor: null };
    const bound = dueBaselineBound(sql, options.now);
    if (!bound) return { counts, cursor: nextCursor(range, options.size) };
    const firstShop = firstShopMayBeDue(sql, range, bound);
    if (!firstShop) return { counts, cursor: nextCursor(range, options.size) };
    const firstCtx = installedShops(sql, [firstShop]).has(firstShop) ? shopContextById(sql, firstShop) : null;
    const settling = firstCtx ? settlingShop(firstCtx, options.now) : null;
    const members = chunkMembers(sql, range, bound, settling);
    const groups = byShop(members);
    if (settling && !groups.has(firstShop)) groups.set(firstShop, []);
    const installed = installedShops(sql, groups.keys());
    for (const [shopId, group] of groups) {
      const ctx = shopId === firstShop ? firstCtx : installed.has(shopId) ? shopContextById(sql, shopId) : null;
      if (ctx) await evaluateShopMembers(tx, sql, ctx, group, range.count, options.now, counts, settling?.ctx === ctx ? { range, settling } : null);
    }
    return { counts, cursor: nextCursor(range, options.size) };
  });
}

type TierMemberRow = [string, string, string | null, string | null, string | null, string | null, string, string, string | null];

/**
 * The latest of the installed shops' notDueFrom bounds (one per distinct period and time zone):
 * no member whose baseline is at or after it can be due, whatever their shop. Null when no shop
 * evaluates tiers.
 */
function dueBaselineBound(sql: Sql, now: Date): Date | null {
  let bound: Date | null = null;
  for (const [period, timezone] of sql.tuples<[TierPeriod, string]>(
    `SELECT DISTINCT p."tierPeriod", s."timezone" FROM "Program" p JOIN "Shop" s ON s."id" = p."shopId" WHERE s."uninstalledAt" IS NULL AND p."tierPeriod" <> 'LIFETIME'`,
  )) {
    const from = notDueFrom(period, timezone, now);
    if (from && (!bound || from > bound)) bound = from;
  }
  return bound;
}

/**
 * The shop of the chunk's first member who holds a tier and may be due (null when none may be: the
 * hourly runs between period ends stop here). At a period end it is found at once.
 */
function firstShopMayBeDue(sql: Sql, range: MemberRange, bound: Date): string | null {
  const [row] = sql.tuples<[shopId: string]>(
    `SELECT "shopId" FROM "Member" WHERE "id" >= ? AND "id" <= ? AND "tierId" IS NOT NULL AND "redactedAt" IS NULL
     AND ("tierBaselineAt" IS NULL OR "tierBaselineAt" < ?) ORDER BY "id" ASC LIMIT 1`,
    range.first, range.last, bound,
  );
  return row ? row[0] : null;
}

/**
 * Members settled in SQL: of a shop under calendar-year points, the due members who hold a tier
 * they keep whatever else the ladder says (tierKept returns it: the period's amount reaches its
 * retain bar, and no other tier has its threshold) and whom nothing sends to a reconcile
 * (membersToReconcile under calendar-year points: no override, nothing counted and no order since
 * the period end, no zero-threshold tier above it, a baseline with its date). Their evaluation is
 * the baseline alone, which setBaselines writes for every due member of the shop in the chunk's
 * range (one range scan). It is done for one shop per chunk, that of its first member who may be
 * due: in a database with one big shop, that shop in nearly every chunk; the other shops' members
 * come into JavaScript as before.
 */
interface Settling {
  ctx: ShopContext;
  period: PeriodEnd;
  /** Each tier a member can be settled in, with the amount that keeps it. */
  bars: { tierId: string; bar: number }[];
}

function settlingShop(ctx: ShopContext, now: Date): Settling | null {
  if (ctx.program.tierPeriod !== "CALENDAR_YEAR" || ctx.program.tierBasis !== "POINTS") return null;
  const period = periodEnds(ctx, now)({ tierBaselineAt: null, tierSince: null, enrolledAt: new Date(0) });
  if (!period) return null;
  const floor = stepFor(0, ladder(ctx.tiers));
  const bars = ctx.tiers
    .filter((t) => !ctx.tiers.some((other) => other !== t && other.threshold === t.threshold) && !(floor && floor.threshold > t.threshold))
    .map((t) => ({ tierId: t.id, bar: t.retainThreshold ?? t.threshold }));
  return bars.length > 0 ? { ctx, period, bars } : null;
}

/**
 * The chunk's members that hold a tier and may be due (a baseline before `bound`: the hourly runs
 * between period ends read no member row into JavaScript), less the settling shop's settled
 * members, as tuples (a million rows as objects cost twice as much). A settled member's ledger is
 * read once, from the period start: the period's sum, or NULL (not settled) when anything counted
 * at or after its end (one seek of the batch index per member instead of two: 0.2 s of 2.5 at 1M).
 */
function chunkMembers(sql: Sql, range: MemberRange, bound: Date, settling: Settling | null): TierMember[] {
  const columns = `m."id", m."shopId", m."tierId", m."tierBaselineId", m."tierBaselineAt", m."tierSince", m."enrolledAt", m."platformCustomerId", m."lastOrderAt"`;
  const chunk = `m."id" >= ? AND m."id" <= ? AND m."tierId" IS NOT NULL AND m."redactedAt" IS NULL AND (m."tierBaselineAt" IS NULL OR m."tierBaselineAt" < ?)`;
  let rows: TierMemberRow[];
  if (settling) {
    const { start, end } = settling.period;
    rows = sql.tuples<TierMemberRow>(
      `WITH "settle"("tierId", "bar") AS (VALUES ${settling.bars.map(() => "(?, ?)").join(", ")})
       SELECT ${columns} FROM "Member" m LEFT JOIN "settle" s ON s."tierId" = m."tierId"
       WHERE ${chunk} AND NOT (s."tierId" IS NOT NULL
         AND (m."tierBaselineAt" IS NULL OR m."tierBaselineAt" < ?) AND m."enrolledAt" < ?
         AND NOT (m."tierBaselineId" IS NOT NULL AND m."tierBaselineAt" IS NULL)
         AND (m."lastOrderAt" IS NULL OR m."lastOrderAt" < ?)
         AND NOT EXISTS (SELECT 1 FROM "TierOverride" o WHERE o."memberId" = m."id")
         AND COALESCE((SELECT CASE WHEN MAX(l."occurredAt") >= ? THEN NULL ELSE TOTAL(l."points" - l."waivedPoints") END FROM "LedgerEntry" l
              WHERE l."memberId" = m."id" AND l."occurredAt" >= ? AND l."qualifying" = 1) >= s."bar", 0))
       ORDER BY m."id" ASC`,
      ...settling.bars.flatMap((b) => [b.tierId, b.bar]),
      range.first, range.last, bound,
      end, end, end, end, start,
    );
  } else {
    rows = sql.tuples<TierMemberRow>(`SELECT ${columns} FROM "Member" m WHERE ${chunk} ORDER BY m."id" ASC`, range.first, range.last, bound);
  }
  return rows.map(([id, shopId, tierId, tierBaselineId, tierBaselineAt, tierSince, enrolledAt, platformCustomerId, lastOrderAt]) => ({
    id, shopId, tierId, tierBaselineId, tierBaselineAt, tierSince, enrolledAt, platformCustomerId, lastOrderAt,
  }));
}

const time = (text: string | null) => (text === null ? null : new Date(text));

/** The members due for evaluation (duePeriodEnd), with the tier they hold. */
function dueMembers(ctx: ShopContext, members: TierMember[], now: Date): Due[] {
  const tiers = new Map(ctx.tiers.map((t) => [t.id, t]));
  const due: Due[] = [];
  const duePeriodEnd = periodEnds(ctx, now);
  if (ctx.program.tierPeriod === "CALENDAR_YEAR") {
    // One period for everyone; duePeriodEnd's date comparisons on the stored text (same order).
    const period = duePeriodEnd({ tierBaselineAt: null, tierSince: null, enrolledAt: new Date(0) })!;
    const end = sqlDate(period.end);
    for (const member of members) {
      const held = member.tierId ? tiers.get(member.tierId) : undefined;
      if (held && (member.tierBaselineAt === null || member.tierBaselineAt < end) && member.enrolledAt < end) {
        due.push({ member, period, held, amount: 0, kept: null, reconcile: false });
      }
    }
    return due;
  }
  for (const member of members) {
    const period = duePeriodEnd({ tierBaselineAt: time(member.tierBaselineAt), tierSince: time(member.tierSince), enrolledAt: new Date(member.enrolledAt) });
    const held = member.tierId ? tiers.get(member.tierId) : undefined;
    if (period && held) due.push({ member, period, held, amount: 0, kept: null, reconcile: false });
  }
  return due;
}

/** `settled`: this is the settling shop, whose settled members were left in SQL (chunkMembers). */
async function evaluateShopMembers(
  tx: Tx,
  sql: Sql,
  ctx: ShopContext,
  members: TierMember[],
  chunkLength: number,
  now: Date,
  counts: TierEvaluationCounts,
  settled: { range: MemberRange; settling: Settling } | null,
) {
  const due = dueMembers(ctx, members, now);
  if (due.length === 0 && !settled) return;

  // Members sharing a period (all of them under calendar years) are summed together.
  const byPeriod = new Map<string, Due[]>();
  for (const d of due) {
    const key = `${d.period.start.getTime()}|${d.period.end.getTime()}`;
    const list = byPeriod.get(key);
    if (list) list.push(d);
    else byPeriod.set(key, [d]);
  }
  // One read of the ledger per group: the period's qualified points, and whether anything
  // counted toward tiers at or after the period end (it can lift the member in the new period).
  const later = new Set<string>();
  for (const group of byPeriod.values()) {
    const { period } = group[0];
    const selections = memberSelections(group.map((d) => d.member), chunkLength);
    const points = new Map<string, number>();
    for (const { where, params } of selections) {
      const rows = sql.tuples<[memberId: string, amount: number, later: number]>(
        `SELECT "memberId", SUM(CASE WHEN "occurredAt" < ? THEN "points" - "waivedPoints" ELSE 0 END),
         MAX(CASE WHEN "occurredAt" >= ? THEN 1 ELSE 0 END)
         FROM "LedgerEntry" WHERE ${where} AND "occurredAt" >= ? AND "qualifying" = 1 GROUP BY "memberId"`,
        period.end, period.end, ...params, period.start,
      );
      for (const [memberId, amount, counted] of rows) {
        points.set(memberId, amount);
        if (counted === 1) later.add(memberId);
      }
    }
    const amounts = ctx.program.tierBasis === "POINTS" ? points : spendAmounts(sql, ctx.shop.id, selections, period);
    for (const d of group) d.amount = amounts.get(d.member.id) ?? 0;
  }
  const overridden = new Set<string>();
  if (due.length > 0) {
    for (const row of sql.all<{ memberId: string }>(`SELECT "memberId" FROM "TierOverride" WHERE "memberId" >= ? AND "memberId" <= ?`, members[0].id, members[members.length - 1].id)) {
      overridden.add(row.memberId);
    }
  }
  for (const d of due) d.kept = tierKept(ctx.tiers, d.held, d.amount);
  const reconcile = membersToReconcile(
    sql,
    ctx,
    due.map((d) => ({
      memberId: d.member.id,
      previousTierId: d.member.tierBaselineId,
      previousAt: time(d.member.tierBaselineAt),
      lastOrderAt: time(d.member.lastOrderAt),
      end: d.period.end,
      kept: d.kept,
      countedSince: later.has(d.member.id),
      overridden: overridden.has(d.member.id),
    })),
    memberSelections(due.map((d) => d.member), chunkLength),
  );
  for (const d of due) d.reconcile = reconcile.has(d.member.id);

  const evaluated = setBaselines(sql, ctx, due, chunkLength, settled);
  counts.evaluated += evaluated;
  counts.settled += evaluated - due.length;
  const wallClock = new Date();
  for (const d of due) {
    const { member, held, kept, amount } = d;
    if (kept?.id !== held.id) {
      counts.downgraded += 1;
      sql.update("Member", member.id, { tierBaselineId: kept?.id ?? null, tierId: kept?.id ?? null, tierSince: now }, wallClock);
      await recordPeriodEndDowngrade(tx, ctx, member, held, kept, amount, now);
    }
    if (d.reconcile) {
      counts.reconciled += 1;
      const current = sql.one<Member>("Member", `SELECT * FROM "Member" WHERE "id" = ?`, member.id)!;
      await reconcileMember(tx, ctx, current, now);
    }
  }
}

/**
 * Every evaluated member's baseline: the tier kept, from the period end; returns how many members
 * were evaluated. Most keep the tier they hold, so under calendar years one statement per chunk
 * sets the baseline to the held tier for exactly the members dueMembers found (the same conditions
 * in SQL; the count is checked), and the members who drop get theirs with their tier change. For
 * the settling shop (`settled`) that statement also covers the members settled in SQL, which
 * are due by the same conditions, so the count can only be checked not to fall short. Otherwise
 * by lists of ids.
 */
function setBaselines(sql: Sql, ctx: ShopContext, due: Due[], chunkLength: number, settled: { range: MemberRange; settling: Settling } | null): number {
  const wallClock = new Date();
  const [selection, ...more] = settled
    ? [{ params: [settled.range.first, settled.range.last] }]
    : memberSelections(due.map((d) => d.member), chunkLength);
  if (ctx.program.tierPeriod === "CALENDAR_YEAR" && more.length === 0 && selection.params.length === 2) {
    const end = settled ? settled.settling.period.end : due[0].period.end;
    // Exactly the members dueMembers found: the chunk's id range, the shop named through its tiers
    // ("shopId" = ? would make SQLite read the whole shop's members by a shop index instead of the
    // range), and the same conditions on the stored text.
    const dueWhere = `"id" >= ? AND "id" <= ? AND "tierId" IN (SELECT "id" FROM "Tier" WHERE "shopId" = ?) AND "redactedAt" IS NULL
       AND ("tierBaselineAt" IS NULL OR "tierBaselineAt" < ?) AND "enrolledAt" < ?`;
    const dueParams = [...selection.params, ctx.shop.id, end, end];
    // The baselines this replaces are kept first (past-baselines.server.ts); a member without one has none to keep.
    sql.run(
      `INSERT INTO "PastTierBaseline" ("memberId", "at", "tierId")
       SELECT "id", "tierBaselineAt", "tierBaselineId" FROM "Member" WHERE ${dueWhere} AND "tierBaselineAt" IS NOT NULL
       ON CONFLICT ("memberId", "at") DO NOTHING`,
      ...dueParams,
    );
    const changed = sql.run(`UPDATE "Member" SET "tierBaselineId" = "tierId", "tierBaselineAt" = ?, "updatedAt" = ? WHERE ${dueWhere}`, end, wallClock, ...dueParams).changes;
    if (settled ? changed < due.length : changed !== due.length) {
      throw new Error(`period-end baselines: ${changed} members updated, ${due.length} due (shop ${ctx.shop.domain})`);
    }
    return changed;
  }
  const baselines = new Map<string, { tierId: string | null; at: Date; ids: string[] }>();
  for (const d of due) {
    keepBaseline(sql, d.member.id, { tierId: d.member.tierBaselineId, at: time(d.member.tierBaselineAt) });
    const key = `${d.kept?.id ?? ""}|${d.period.end.getTime()}`;
    const entry = baselines.get(key) ?? baselines.set(key, { tierId: d.kept?.id ?? null, at: d.period.end, ids: [] }).get(key)!;
    entry.ids.push(d.member.id);
  }
  for (const { tierId, at, ids } of baselines.values()) {
    for (const list of inLists(ids)) {
      sql.run(`UPDATE "Member" SET "tierBaselineId" = ?, "tierBaselineAt" = ?, "updatedAt" = ? WHERE "id" IN (${IN_LIST})`, tierId, at, wallClock, ...list);
    }
  }
  return due.length;
}

/** qualifiedAmount under the SPEND basis, for many members at once (orders' facts are JSON: decided in code). */
function spendAmounts(sql: Sql, shopId: string, selections: MemberSelection[], period: PeriodEnd): Map<string, number> {
  const recordsOf = new Map<string, OrderRecord[]>();
  for (const { where, params } of selections) {
    const rows = sql.many<OrderRecord>(
      "OrderRecord",
      `SELECT * FROM "OrderRecord" WHERE "shopId" = ? AND ${where} AND "processedAt" >= ? AND "processedAt" < ?`,
      shopId, ...params, period.start, period.end,
    );
    for (const row of rows) {
      const list = recordsOf.get(row.memberId!);
      if (list) list.push(row);
      else recordsOf.set(row.memberId!, [row]);
    }
  }
  return new Map([...recordsOf].map(([memberId, records]) => [memberId, qualifiedSpend(records, period)]));
}
