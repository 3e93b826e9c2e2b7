import type { Prisma } from "@prisma/client";
import type { Db } from "../db.server";
import type { DiscountIssuer } from "../loyalty/discount-issuer";
import { runMemberBirthday } from "../loyalty/birthday.server";
import { runMemberEngagement } from "../loyalty/engagement.server";
import { expirePointsChunk } from "../loyalty/expiry-pass.server";
import { expireRedemptions, recoverPendingRedemptions } from "../loyalty/redemptions.server";
import { evaluateTiersChunk } from "../loyalty/period-end-pass.server";
import { deliverOutbox, type OutboxHandlers } from "./outbox-worker.server";
import type { BatchResult, JobDefinition } from "./scheduler.server";

type MemberWork = (db: Db, memberId: string, now: Date) => Promise<object>;

function addCounts(into: Record<string, number>, more: object) {
  for (const [key, value] of Object.entries(more)) if (typeof value === "number") into[key] = (into[key] ?? 0) + value;
}

/** A job that walks the members of installed shops in id order, a batch at a time, resumable by cursor. */
export function memberJob(name: string, cron: string, where: Prisma.MemberWhereInput, work: MemberWork, batchSize = 100): JobDefinition {
  return {
    name,
    cron,
    batchSize,
    async run({ db, now, cursor, batchSize: take }): Promise<BatchResult> {
      const members = await db.member.findMany({
        where: { ...where, redactedAt: null, shop: { uninstalledAt: null }, ...(cursor ? { id: { gt: cursor } } : {}) },
        orderBy: { id: "asc" },
        take,
        select: { id: true },
      });
      const counts: Record<string, number> = { members: members.length };
      for (const { id } of members) addCounts(counts, await work(db, id, now));
      return { counts, cursor: members.length < take ? null : members[members.length - 1].id };
    },
  };
}

type ChunkPass = (db: Db, options: { now: Date; cursor: string | null; size: number }) => Promise<{ counts: object; cursor: string | null }>;

/**
 * A job whose batch is one set-based pass over the next `batchSize` members (in id order, one
 * transaction): resumable by cursor like memberJob, with far fewer queries per member.
 */
export function memberChunkJob(name: string, cron: string, pass: ChunkPass, batchSize: number): JobDefinition {
  return {
    name,
    cron,
    batchSize,
    async run({ db, now, cursor, batchSize: size }): Promise<BatchResult> {
      const result = await pass(db, { now, cursor, size });
      const counts: Record<string, number> = {};
      addCounts(counts, result.counts);
      return { counts, cursor: result.cursor };
    },
  };
}

export interface AutomationJobDeps {
  /** Outbox handlers (platform calls, emails, Flow), built for the tick's clock. */
  handlersAt: (now: Date) => OutboxHandlers;
  /** The discount issuer of a shop, for redemption recovery (null: skip that shop). */
  issuerFor?: (shop: { id: string; domain: string; platform: string }) => Promise<DiscountIssuer | null>;
  batchSize?: number;
  /** Members per transaction of the set-based passes (expiry, tier evaluation). */
  chunkSize?: number;
}

/**
 * The scheduled jobs, in the order a tick runs them: the daily work is date-driven and idempotent,
 * so it runs every hour (a shop's local midnight comes at any UTC hour, and a missed hour is
 * caught up by the next); the outbox runs last so that what the others queued goes out in the
 * same tick.
 */
export function automationJobs(deps: AutomationJobDeps): JobDefinition[] {
  const size = deps.batchSize ?? 100;
  const chunk = deps.chunkSize ?? deps.batchSize ?? 5_000;
  return [
    memberChunkJob("points-expiry", "0 * * * *", expirePointsChunk, chunk),
    memberJob("birthdays", "0 * * * *", { birthday: { not: null } }, runMemberBirthday, size),
    memberChunkJob("tier-evaluation", "0 * * * *", evaluateTiersChunk, chunk),
    memberJob("engagement", "0 * * * *", {}, runMemberEngagement, size),
    {
      name: "redemptions",
      cron: "*/5 * * * *",
      batchSize: 20,
      async run({ db, now, cursor, batchSize }) {
        const shops = await db.shop.findMany({
          where: { uninstalledAt: null, ...(cursor ? { id: { gt: cursor } } : {}) },
          orderBy: { id: "asc" },
          take: batchSize,
          select: { id: true, domain: true, platform: true },
        });
        const counts: Record<string, number> = {};
        for (const shop of shops) {
          const issuer = deps.issuerFor ? await deps.issuerFor(shop) : null;
          if (issuer) addCounts(counts, await recoverPendingRedemptions(db, shop.domain, issuer, { now }));
          addCounts(counts, await expireRedemptions(db, shop.domain, now));
        }
        return { counts, cursor: shops.length < batchSize ? null : shops[shops.length - 1].id };
      },
    },
    {
      name: "outbox",
      cron: "* * * * *",
      batchSize: 100,
      async run({ db, now, batchSize }) {
        const counts = await deliverOutbox(db, deps.handlersAt(now), { now, batchSize });
        const handled = counts.delivered + counts.retried + counts.dead + counts.skipped;
        return { counts: { ...counts }, cursor: handled < batchSize ? null : "more" };
      },
    },
  ];
}
