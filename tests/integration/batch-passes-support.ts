import type { PrismaClient } from "@prisma/client";
import { automationJobs, memberJob } from "../../app/jobs/automation-jobs.server";
import type { JobDefinition } from "../../app/jobs/scheduler.server";
import { adjustPoints, setTierOverride } from "../../app/loyalty/adjustments.server";
import { processEvent } from "../../app/loyalty/events.server";
import { runMemberExpiry } from "../../app/loyalty/expiry.server";
import { evaluateMemberTier } from "../../app/loyalty/period-end.server";
import { installShop } from "../../app/loyalty/program.server";
import type { OrderFacts } from "../../app/loyalty/types";
import { customer, line, order, refund } from "../support/facts";

/**
 * Shared by the batch-pass tests: a shop built through the real event paths from a plain-data
 * scenario (so two databases can be given exactly the same history), the jobs run either member by
 * member (the per-member code the passes replace) or as the set-based passes, and a snapshot of
 * everything the jobs write, with ids replaced by what they stand for so two databases compare.
 */

export const DAY = 86_400_000;
export const START = Date.UTC(2024, 0, 1, 10);

export interface ShopSettings {
  timezone: string;
  period: "CALENDAR_YEAR" | "ROLLING_12_MONTHS";
  basis: "POINTS" | "SPEND";
  policy: "FLOOR_AT_ZERO" | "ALLOW_DEBT";
  expiryMode: "INACTIVITY" | "ENTRY_AGE";
  expiryMonths: number;
  reminderDays: number;
  silverRetain: number | null;
  goldRetain: number | null;
}

export type Operation =
  | { kind: "join"; at: number; member: number }
  | { kind: "order"; at: number; deliveredAt: number; member: number; amount: number; id: string }
  | { kind: "refund"; at: number; deliveredAt: number; member: number; amount: number; id: string }
  | { kind: "cancel"; at: number; deliveredAt: number; member: number }
  | { kind: "adjust"; at: number; member: number; points: number; id: string }
  | { kind: "override"; at: number; member: number; days: number | null }
  | { kind: "jobs"; at: number };

export async function setUpShop(db: PrismaClient, domain: string, s: ShopSettings) {
  const shop = await installShop(db, domain, { timezone: s.timezone });
  await db.program.update({ where: { shopId: shop.id }, data: { tierPeriod: s.period, tierBasis: s.basis, negativeBalancePolicy: s.policy } });
  const scale = s.basis === "SPEND" ? 100 : 1;
  await db.tier.update({ where: { shopId_position: { shopId: shop.id, position: 1 } }, data: { threshold: 500 * scale, retainThreshold: s.silverRetain === null ? null : s.silverRetain * scale } });
  await db.tier.update({ where: { shopId_position: { shopId: shop.id, position: 2 } }, data: { threshold: 1000 * scale, retainThreshold: s.goldRetain === null ? null : s.goldRetain * scale } });
  await db.automationSettings.create({ data: { shopId: shop.id, expiryMode: s.expiryMode, expiryMonths: s.expiryMonths, expiryReminderDays: s.reminderDays } });
  return shop;
}

/** Applies one operation through the app's own entry points; the same call on two databases does the same. */
export async function apply(db: PrismaClient, domain: string, op: Exclude<Operation, { kind: "jobs" }>, orders: Map<string, { member: number; facts: OrderFacts }>) {
  const who = customer(`m${op.member}`, { createdAt: new Date(START) });
  const deliver = (key: string, event: Parameters<typeof processEvent>[2], now: number) =>
    processEvent(db, { shopDomain: domain, dedupeKey: key, topic: "test" }, event, new Date(now));
  const memberId = async () => (await db.member.findFirst({ where: { shop: { domain }, platformCustomerId: `m${op.member}` }, select: { id: true } }))?.id;
  switch (op.kind) {
    case "join":
      await deliver(`join-${op.member}`, { type: "customer", customer: who }, op.at);
      return;
    case "order": {
      const facts = order(op.id, who, [line("a", op.amount)], { processedAt: new Date(op.at) });
      orders.set(op.id, { member: op.member, facts });
      await deliver(`order-${op.id}`, { type: "order", order: facts }, op.deliveredAt);
      return;
    }
    case "refund": {
      const target = latestOrder(orders, op.member, op.at);
      if (!target) return;
      const amount = Math.min(op.amount, target.facts.lines[0].netMinor);
      await deliver(`refund-${op.id}`, { type: "refund", platformOrderId: target.facts.platformOrderId, refund: refund(op.id, new Date(op.at), [{ lineId: "a", quantity: 1, subtotalMinor: amount, taxMinor: 0 }]) }, op.deliveredAt);
      return;
    }
    case "cancel": {
      const target = latestOrder(orders, op.member, op.at);
      if (!target || target.facts.cancelledAt) return;
      target.facts = { ...target.facts, cancelledAt: new Date(op.at) };
      await deliver(`cancel-${target.facts.platformOrderId}`, { type: "order", order: target.facts }, op.deliveredAt);
      return;
    }
    case "adjust": {
      const id = await memberId();
      if (id) await adjustPoints(db, { shopDomain: domain, memberId: id, points: op.points, reason: "test", staff: "staff@shop", requestId: op.id }, new Date(op.at));
      return;
    }
    case "override": {
      const id = await memberId();
      const gold = await db.tier.findFirst({ where: { shop: { domain }, position: 2 } });
      if (id) {
        await setTierOverride(
          db,
          { shopDomain: domain, memberId: id, tierId: op.days === null ? null : gold!.id, endsAt: op.days === null ? null : new Date(op.at + op.days * DAY), reason: "test", staff: "staff@shop" },
          new Date(op.at),
        );
      }
      return;
    }
  }
}

function latestOrder(orders: Map<string, { member: number; facts: OrderFacts }>, member: number, before: number) {
  let best: { member: number; facts: OrderFacts } | null = null;
  for (const o of orders.values()) {
    if (o.member === member && o.facts.processedAt.getTime() <= before && (!best || o.facts.processedAt > best.facts.processedAt)) best = o;
  }
  return best;
}

async function runJob(db: PrismaClient, job: JobDefinition, now: Date, batchSize: number) {
  let cursor: string | null = null;
  const counts: Record<string, number> = {};
  do {
    const result = await job.run({ db, now, cursor, batchSize });
    for (const [k, v] of Object.entries(result.counts)) counts[k] = (counts[k] ?? 0) + v;
    cursor = result.cursor;
  } while (cursor);
  return counts;
}

/** The expiry and tier jobs as they ran before the passes: one member, one transaction at a time. */
export async function runPerMember(db: PrismaClient, now: Date) {
  await runJob(db, memberJob("points-expiry", "0 * * * *", { balance: { gt: 0 } }, runMemberExpiry), now, 3);
  await runJob(db, memberJob("tier-evaluation", "0 * * * *", { tierId: { not: null } }, evaluateMemberTier), now, 3);
}

/** One of the scheduled jobs as it runs now: a set-based pass over chunks of `chunk` members. */
export async function runPass(db: PrismaClient, job: "points-expiry" | "tier-evaluation", now: Date, chunk: number) {
  const jobs = automationJobs({ handlersAt: () => ({}) as never, chunkSize: chunk });
  return runJob(db, jobs.find((j) => j.name === job)!, now, chunk);
}

const ID = /\bc[a-z0-9]{24}\b/g;
const iso = (d: Date | null) => d?.toISOString() ?? null;

/** Everything the jobs write or read, ids replaced by names, sorted; wall-clock stamps left out. */
export async function snapshot(db: PrismaClient, domain: string) {
  const shop = await db.shop.findUniqueOrThrow({ where: { domain } });
  const where = { shopId: shop.id };
  const [rules, tiers, members, orders, ledger, changes, messages, outbox, pastBaselines] = await Promise.all([
    db.earningRule.findMany({ where }),
    db.tier.findMany({ where }),
    db.member.findMany({ where }),
    db.orderRecord.findMany({ where }),
    db.ledgerEntry.findMany({ where }),
    db.tierChange.findMany({ where }),
    db.messageLog.findMany({ where }),
    db.outboxMessage.findMany({ where }),
    db.pastTierBaseline.findMany({ where: { member: { shopId: shop.id } } }),
  ]);
  const names = new Map<string, string>();
  for (const r of rules) names.set(r.id, `rule:${r.kind}`);
  for (const t of tiers) names.set(t.id, `tier:${t.name}`);
  for (const m of members) names.set(m.id, `member:${m.platformCustomerId}`);
  for (const o of orders) names.set(o.id, `order:${o.platformOrderId}`);
  const name = (id: string | null) => (id === null ? null : (names.get(id) ?? id));
  // A member's tier changes by the order they were written in (the same in two databases that got
  // the same history); only the evaluation stamps them with the job's clock, the others with the wall clock.
  const order = new Map((await db.$queryRawUnsafe<{ id: string; n: bigint }[]>(`SELECT "id", rowid AS "n" FROM "TierChange" WHERE "shopId" = ?`, shop.id)).map((r) => [r.id, Number(r.n)]));
  const ordinal = new Map<string, number>();
  for (const c of [...changes].sort((a, b) => order.get(a.id)! - order.get(b.id)!)) {
    const n = (ordinal.get(c.memberId) ?? 0) + 1;
    ordinal.set(c.memberId, n);
    names.set(c.id, `change:${name(c.memberId)}#${n}:${name(c.fromTierId)}>${name(c.toTierId)}:${c.direction}:${c.reason}${c.reason === "period_end" ? `@${iso(c.createdAt)}` : ""}`);
  }
  const text = (value: string) => value.replace(ID, (id) => names.get(id) ?? id);
  for (const m of messages) names.set(m.id, `message:${text(m.dedupeKey)}`);
  const sorted = <T>(rows: T[]) => rows.map((r) => JSON.stringify(r)).sort();
  return {
    members: sorted(
      members.map((m) => ({
        member: m.platformCustomerId, balance: m.balance, lifetimePoints: m.lifetimePoints, tier: name(m.tierId), tierSince: iso(m.tierSince),
        baseline: name(m.tierBaselineId), baselineAt: iso(m.tierBaselineAt), lastOrderAt: iso(m.lastOrderAt),
      })),
    ),
    orders: sorted(orders.map((o) => ({ order: o.platformOrderId, earned: o.earnedPoints, reversed: o.reversedPoints, earnEntries: o.earnEntries, reversalEntries: o.reversalEntries }))),
    ledger: sorted(
      ledger.map((e) => ({
        member: name(e.memberId), kind: e.kind, points: e.points, waived: e.waivedPoints, remaining: e.remaining, qualifying: e.qualifying, reason: e.reason,
        source: text(`${e.sourceType}:${e.sourceId}`), order: name(e.orderId), key: text(e.idempotencyKey), occurredAt: iso(e.occurredAt), expiresAt: iso(e.expiresAt),
      })),
    ),
    changes: sorted(changes.map((c) => names.get(c.id))),
    messages: sorted(messages.map((m) => ({ member: name(m.memberId), trigger: m.trigger, key: text(m.dedupeKey), data: text(m.data), queuedAt: iso(m.queuedAt), marketing: m.marketing, status: m.status }))),
    outbox: sorted(outbox.map((o) => ({ kind: o.kind, payload: text(o.payload), status: o.status }))),
    pastBaselines: sorted(pastBaselines.map((b) => ({ member: name(b.memberId), at: iso(b.at), tier: name(b.tierId) }))),
  };
}
