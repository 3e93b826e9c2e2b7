import { z } from "zod";
import type { Db } from "../db.server";

const DAY = 86_400_000;
const dateText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export interface DateRange {
  from: Date;
  /** Exclusive end (the day after the last day shown). */
  to: Date;
}

/** ?from=YYYY-MM-DD&to=YYYY-MM-DD (inclusive, UTC days); default the last 90 days; at most 3 years. */
export function parseRange(url: URL, now = new Date()): DateRange & { fromText: string; toText: string } {
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const read = (name: string) => {
    const parsed = dateText.safeParse(url.searchParams.get(name));
    if (!parsed.success) return null;
    const d = new Date(`${parsed.data}T00:00:00Z`);
    return Number.isNaN(d.getTime()) ? null : d;
  };
  let to = read("to") ?? today;
  let from = read("from") ?? new Date(to.getTime() - 89 * DAY);
  if (from > to) [from, to] = [to, from];
  if (to.getTime() - from.getTime() > 3 * 366 * DAY) from = new Date(to.getTime() - 3 * 366 * DAY);
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  return { from, to: new Date(to.getTime() + DAY), fromText: iso(from), toText: iso(to) };
}

/** SQLite text timestamps as the driver adapter writes them, so range bounds compare as text. */
function sqliteTime(d: Date) {
  return d.toISOString().replace("Z", "+00:00");
}

/**
 * Points per bucket and ledger kind, summed in SQL: a shop with many members has hundreds of
 * thousands of entries in a quarter, too many to bring into the process for a chart.
 */
async function ledgerBuckets(db: Db, shopId: string, range: DateRange, bucketDays: number) {
  const rows = await db.$queryRaw<{ bucket: number | bigint; kind: string; points: number | bigint | null; credits: number | bigint | null }[]>`
    SELECT CAST((julianday(occurredAt) - julianday(${sqliteTime(range.from)})) / ${bucketDays} AS INTEGER) AS bucket,
           kind, SUM(points) AS points, SUM(CASE WHEN points > 0 THEN points ELSE 0 END) AS credits
    FROM LedgerEntry
    WHERE shopId = ${shopId} AND occurredAt >= ${sqliteTime(range.from)} AND occurredAt < ${sqliteTime(range.to)}
    GROUP BY bucket, kind`;
  return rows.map((r) => ({ bucket: Number(r.bucket), kind: r.kind, points: Number(r.points ?? 0), credits: Number(r.credits ?? 0) }));
}

const ISSUED = new Set(["ORDER_EARN", "WELCOME", "BIRTHDAY", "ADJUSTMENT", "IMPORT"]);

function orderGoodsMinor(goods: string | null): number {
  if (!goods) return 0;
  const parsed = JSON.parse(goods) as { lines?: { netMinor?: number }[] };
  return (parsed.lines ?? []).reduce((sum, line) => sum + (line.netMinor ?? 0), 0);
}

/** The dashboard's numbers for a date range; every figure shown as a chart is also returned as numbers. */
export async function dashboardMetrics(db: Db, shopId: string, range: DateRange, now = new Date()) {
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId } });
  const end = range.to < now ? range.to : now;
  // Buckets: at most 31 bars whatever the range.
  const days = Math.max(1, Math.round((range.to.getTime() - range.from.getTime()) / DAY));
  const bucketDays = Math.ceil(days / 31);
  const [members, activeMembers, outstanding, tiers, perTier, entries, rewards, orders, redemptions] = await Promise.all([
    db.member.count({ where: { shopId, redactedAt: null, enrolledAt: { lt: range.to } } }),
    db.member.count({ where: { shopId, redactedAt: null, lastOrderAt: { gte: new Date(end.getTime() - 90 * DAY), lt: range.to } } }),
    db.member.aggregate({ where: { shopId, balance: { gt: 0 } }, _sum: { balance: true } }),
    db.tier.findMany({ where: { shopId }, orderBy: { position: "asc" } }),
    db.member.groupBy({ by: ["tierId"], where: { shopId, redactedAt: null }, _count: { _all: true } }),
    ledgerBuckets(db, shopId, range, bucketDays),
    db.reward.findMany({ where: { shopId, active: true } }),
    db.orderRecord.findMany({
      where: { shopId, processedAt: { gte: range.from, lt: range.to }, cancelledAt: null, goods: { not: null } },
      select: { memberId: true, platformCustomerId: true, email: true, goods: true },
    }),
    db.redemption.count({ where: { shopId, createdAt: { gte: range.from, lt: range.to }, status: { in: ["ISSUED", "USED", "EXPIRED", "PENDING"] } } }),
  ]);

  const buckets = Array.from({ length: Math.ceil(days / bucketDays) }, (_, i) => ({
    start: new Date(range.from.getTime() + i * bucketDays * DAY).toISOString().slice(0, 10),
    issued: 0,
    redeemed: 0,
    expired: 0,
  }));
  let issued = 0;
  let redeemed = 0;
  let expired = 0;
  for (const e of entries) {
    const bucket = buckets[Math.max(0, Math.min(buckets.length - 1, e.bucket))];
    if (ISSUED.has(e.kind)) {
      bucket.issued += e.credits;
      issued += e.credits;
    } else if (e.kind === "REDEMPTION" || e.kind === "REDEMPTION_REFUND") {
      bucket.redeemed -= e.points;
      redeemed -= e.points;
    } else if (e.kind === "EXPIRY") {
      bucket.expired -= e.points;
      expired -= e.points;
    }
  }

  // What a point is worth when spent: the "any amount" reward's rate, else the best fixed reward.
  const variable = rewards.find((r) => r.kind === "VARIABLE_AMOUNT" && r.pointsPerUnit > 0);
  const fixed = rewards.filter((r) => r.kind === "FIXED_AMOUNT" && r.pointsCost > 0).sort((a, b) => b.valueMinor / b.pointsCost - a.valueMinor / a.pointsCost)[0];
  const pointValue = variable ? variable.valueMinor / variable.pointsPerUnit : fixed ? fixed.valueMinor / fixed.pointsCost : 0;
  const outstandingPoints = outstanding._sum.balance ?? 0;

  const group = (member: boolean) => {
    const byCustomer = new Map<string, number>();
    let revenue = 0;
    let count = 0;
    for (const o of orders) {
      if ((o.memberId !== null) !== member) continue;
      const key = o.memberId ?? o.platformCustomerId ?? o.email ?? `guest-${count}`;
      byCustomer.set(key, (byCustomer.get(key) ?? 0) + 1);
      revenue += orderGoodsMinor(o.goods);
      count += 1;
    }
    const customers = byCustomer.size;
    const repeat = [...byCustomer.values()].filter((n) => n >= 2).length;
    return { orders: count, customers, aovMinor: count ? Math.round(revenue / count) : 0, repeatRate: customers ? repeat / customers : 0 };
  };

  return {
    currency: shop.currency,
    members,
    activeMembers,
    issued,
    redeemed,
    expired,
    redemptions,
    redemptionRate: issued ? redeemed / issued : 0,
    outstandingPoints,
    liabilityMinor: Math.round(outstandingPoints * pointValue),
    pointValueBasis: variable ? variable.name : fixed ? fixed.name : null,
    series: buckets,
    bucketDays,
    tiers: [
      ...tiers.map((t) => ({ name: t.name, members: perTier.find((p) => p.tierId === t.id)?._count._all ?? 0 })),
      { name: "", members: perTier.find((p) => p.tierId === null)?._count._all ?? 0 },
    ],
    memberOrders: group(true),
    guestOrders: group(false),
  };
}
