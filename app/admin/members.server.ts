import type { Prisma } from "@prisma/client";
import { z } from "zod";
import type { Db } from "../db.server";
import { SEGMENTS, SORTS } from "./constants";

export const PAGE_SIZE = 50;

const listQuery = z.object({
  q: z.string().trim().max(100).catch(""),
  tier: z.string().max(40).catch(""),
  segment: z.enum(SEGMENTS).catch("all"),
  sort: z.enum(SORTS).catch("balance_desc"),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

export type MemberListQuery = z.infer<typeof listQuery>;

export function parseListQuery(url: URL): MemberListQuery {
  return listQuery.parse(Object.fromEntries(url.searchParams));
}

const DAY = 86_400_000;

function segmentWhere(segment: MemberListQuery["segment"], now: Date): Prisma.MemberWhereInput {
  const ninetyDaysAgo = new Date(now.getTime() - 90 * DAY);
  switch (segment) {
    case "active": return { lastOrderAt: { gte: ninetyDaysAgo } };
    case "lapsed": return { lastOrderAt: { lt: ninetyDaysAgo } };
    case "never": return { lastOrderAt: null };
    case "withPoints": return { balance: { gt: 0 } };
    case "debt": return { balance: { lt: 0 } };
    default: return {};
  }
}

function orderBy(sort: MemberListQuery["sort"]): Prisma.MemberOrderByWithRelationInput[] {
  switch (sort) {
    case "balance_asc": return [{ balance: "asc" }, { id: "asc" }];
    case "lastOrder_desc": return [{ lastOrderAt: { sort: "desc", nulls: "last" } }, { id: "asc" }];
    case "lastOrder_asc": return [{ lastOrderAt: { sort: "asc", nulls: "last" } }, { id: "asc" }];
    case "name_asc": return [{ lastName: "asc" }, { firstName: "asc" }, { id: "asc" }];
    case "enrolled_desc": return [{ enrolledAt: "desc" }, { id: "asc" }];
    default: return [{ balance: "desc" }, { id: "asc" }];
  }
}

/** One page of members for the members list, with the total for pagination. */
export async function listMembers(db: Db, shopId: string, query: MemberListQuery, now = new Date()) {
  const where: Prisma.MemberWhereInput = { shopId, redactedAt: null, ...segmentWhere(query.segment, now) };
  if (query.tier === "none") where.tierId = null;
  else if (query.tier) where.tierId = query.tier;
  if (query.q) {
    const words = query.q.split(/\s+/).slice(0, 3);
    where.AND = words.map((w) => ({ OR: [{ email: { contains: w.toLowerCase() } }, { firstName: { contains: w } }, { lastName: { contains: w } }, { platformCustomerId: w }] }));
  }
  const [total, rows, tiers] = await Promise.all([
    db.member.count({ where }),
    db.member.findMany({
      where,
      orderBy: orderBy(query.sort),
      skip: (query.page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
      select: { id: true, firstName: true, lastName: true, email: true, balance: true, lifetimePoints: true, lastOrderAt: true, tier: { select: { name: true } } },
    }),
    db.tier.findMany({ where: { shopId }, orderBy: { position: "asc" }, select: { id: true, name: true } }),
  ]);
  return {
    total,
    pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    tiers,
    members: rows.map((m) => ({
      id: m.id,
      name: [m.firstName, m.lastName].filter(Boolean).join(" "),
      email: m.email,
      balance: m.balance,
      lifetimePoints: m.lifetimePoints,
      lastOrderAt: m.lastOrderAt?.toISOString() ?? null,
      tier: m.tier?.name ?? null,
    })),
  };
}

export const LEDGER_PAGE_SIZE = 25;

/** A member's page: profile, tier and progress, a page of the ledger, redemptions and codes. */
export async function memberDetail(db: Db, shopId: string, memberId: string, ledgerPage: number, now = new Date()) {
  const member = await db.member.findFirst({ where: { id: memberId, shopId }, include: { tier: true } });
  if (!member) return null;
  const [tiers, program, ledgerTotal, ledger, redemptions, override, tierChanges] = await Promise.all([
    db.tier.findMany({ where: { shopId }, orderBy: { position: "asc" } }),
    db.program.findUniqueOrThrow({ where: { shopId } }),
    db.ledgerEntry.count({ where: { memberId } }),
    db.ledgerEntry.findMany({
      where: { memberId },
      orderBy: [{ occurredAt: "desc" }, { createdAt: "desc" }],
      skip: (ledgerPage - 1) * LEDGER_PAGE_SIZE,
      take: LEDGER_PAGE_SIZE,
      select: { id: true, kind: true, points: true, waivedPoints: true, reason: true, createdBy: true, occurredAt: true, sourceType: true },
    }),
    db.redemption.findMany({ where: { memberId }, orderBy: { createdAt: "desc" }, take: 50, include: { reward: { select: { name: true } } } }),
    db.tierOverride.findUnique({ where: { memberId } }),
    db.tierChange.findMany({ where: { memberId }, orderBy: { createdAt: "desc" }, take: 10 }),
  ]);
  const index = tiers.findIndex((t) => t.id === member.tierId);
  const next = tiers[index + 1] ?? null;
  const name = (id: string | null) => tiers.find((t) => t.id === id)?.name ?? null;
  return {
    member: {
      id: member.id,
      platformCustomerId: member.platformCustomerId,
      name: [member.firstName, member.lastName].filter(Boolean).join(" "),
      email: member.email,
      balance: member.balance,
      lifetimePoints: member.lifetimePoints,
      tier: member.tier?.name ?? null,
      tierId: member.tierId,
      tierSince: member.tierSince?.toISOString() ?? null,
      enrolledAt: member.enrolledAt.toISOString(),
      lastOrderAt: member.lastOrderAt?.toISOString() ?? null,
      redacted: member.redactedAt !== null,
    },
    // Progress toward the next tier counts lifetime points on a lifetime points basis; other
    // bases show the threshold only (the window amount needs the full timeline).
    progress: next ? { next: next.name, threshold: next.threshold, current: program.tierBasis === "POINTS" && program.tierPeriod === "LIFETIME" ? member.lifetimePoints : null } : null,
    tiers: tiers.map((t) => ({ id: t.id, name: t.name })),
    override: override && override.endsAt > now ? { tier: name(override.tierId), tierId: override.tierId, endsAt: override.endsAt.toISOString(), reason: override.reason, createdBy: override.createdBy } : null,
    ledgerTotal,
    ledgerPageCount: Math.max(1, Math.ceil(ledgerTotal / LEDGER_PAGE_SIZE)),
    ledger: ledger.map((e) => ({ ...e, occurredAt: e.occurredAt.toISOString() })),
    redemptions: redemptions.map((r) => ({
      id: r.id, reward: r.reward.name, code: r.code, status: r.status, pointsSpent: r.pointsSpent, createdAt: r.createdAt.toISOString(), expiresAt: r.expiresAt.toISOString(), usedOnOrderId: r.usedOnOrderId,
    })),
    tierChanges: tierChanges.map((c) => ({ id: c.id, from: name(c.fromTierId), to: name(c.toTierId), direction: c.direction, reason: c.reason, createdAt: c.createdAt.toISOString() })),
  };
}

