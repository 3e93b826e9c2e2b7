import fc from "fast-check";
import type { PrismaClient } from "@prisma/client";
import Database from "better-sqlite3";
import { copyFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { automationJobs } from "../../app/jobs/automation-jobs.server";
import { Scheduler } from "../../app/jobs/scheduler.server";
import { createDatabaseClient } from "../../app/db.server";
import { zonedTime } from "../../app/loyalty/period";
import type { OrderFacts } from "../../app/loyalty/types";
import { freshDatabase } from "../support/database";
import { apply, DAY, runPass, runPerMember, setUpShop, snapshot, START, type Operation, type ShopSettings } from "./batch-passes-support";

/**
 * The set-based expiry and tier-evaluation passes against the per-member code they replace:
 * random shops get the same history through the real event paths in two databases, one runs the
 * jobs member by member, the other runs the passes, and everything the jobs write must be the
 * same after every run. Then: a rerun writes nothing, and a pass that fails half-way resumes from
 * its cursor to the state an unbroken run reaches.
 */

const clients: PrismaClient[] = [];
afterAll(async () => {
  for (const db of clients) await db.$disconnect();
});
function database() {
  const made = freshDatabase();
  clients.push(made.db);
  return made;
}

const settingsArb: fc.Arbitrary<ShopSettings> = fc.record({
  timezone: fc.constantFrom("UTC", "Europe/Warsaw", "America/New_York"),
  period: fc.constantFrom<ShopSettings["period"]>("CALENDAR_YEAR", "CALENDAR_YEAR", "ROLLING_12_MONTHS"),
  basis: fc.constantFrom<ShopSettings["basis"]>("POINTS", "POINTS", "SPEND"),
  policy: fc.constantFrom<ShopSettings["policy"]>("FLOOR_AT_ZERO", "ALLOW_DEBT"),
  expiryMode: fc.constantFrom<ShopSettings["expiryMode"]>("ENTRY_AGE", "INACTIVITY"),
  expiryMonths: fc.integer({ min: 1, max: 13 }),
  reminderDays: fc.integer({ min: 0, max: 30 }),
  silverRetain: fc.option(fc.integer({ min: 100, max: 500 })),
  goldRetain: fc.option(fc.integer({ min: 300, max: 1000 })),
});

const HOUR = 3_600_000;
const stepArb = fc.record({
  kind: fc.constantFrom("order", "order", "order", "order", "refund", "cancel", "adjust", "adjust", "override"),
  member: fc.nat(5),
  day: fc.integer({ min: 0, max: 1_050 }),
  hour: fc.integer({ min: 0, max: 23 }),
  amount: fc.integer({ min: 500, max: 70_000 }),
  late: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 45 })),
});

/** A scenario's operations in the order they happen: joins, the steps (delivered when they arrive), and the job runs. */
type Step = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;

function operations(zones: string[], members: number, steps: Step[], extraTicks: number[]): Operation[] {
  const ops: Operation[] = [];
  for (let m = 0; m < members; m++) ops.push({ kind: "join", at: START + m * 3 * HOUR, member: m });
  steps.forEach((s, i) => {
    const member = s.member % members;
    const at = START + DAY + s.day * DAY + s.hour * HOUR;
    const deliveredAt = at + s.late * DAY;
    if (s.kind === "order") ops.push({ kind: "order", at, deliveredAt, member, amount: s.amount, id: `o${i}` });
    else if (s.kind === "refund") ops.push({ kind: "refund", at, deliveredAt, member, amount: s.amount, id: `r${i}` });
    else if (s.kind === "cancel") ops.push({ kind: "cancel", at, deliveredAt, member });
    else if (s.kind === "adjust") ops.push({ kind: "adjust", at, member, points: (s.amount % 2 ? -1 : 1) * Math.round(s.amount / 60), id: `a${i}` });
    else ops.push({ kind: "override", at, member, days: s.amount % 3 === 0 ? null : 30 + (s.amount % 200) });
  });
  // The jobs run just after each calendar year ends (the evaluation everyone is due for), and at other times.
  for (const zone of new Set(zones)) {
    for (const year of [2025, 2026, 2027]) ops.push({ kind: "jobs", at: zonedTime(year, 1, 1, zone).getTime() + 2 * HOUR });
  }
  for (const day of extraTicks) ops.push({ kind: "jobs", at: START + day * DAY + 13 * HOUR });
  const when = (op: Operation) => ("deliveredAt" in op ? op.deliveredAt : op.at);
  return ops.sort((a, b) => when(a) - when(b) || Number(a.kind === "jobs") - Number(b.kind === "jobs"));
}

describe("set-based batch passes", () => {
  it("write exactly what the per-member expiry and tier evaluation write, on random shops, and nothing when run again", async () => {
    let runs = 0;
    const seen: Record<string, number> = {};
    await fc.assert(
      fc.asyncProperty(
        // Two shops whose members interleave in id order (so chunks span both), the second
        // sometimes uninstalled.
        fc.array(settingsArb, { minLength: 2, maxLength: 2 }),
        fc.boolean(),
        fc.integer({ min: 2, max: 7 }),
        fc.array(stepArb, { minLength: 4, maxLength: 30 }),
        fc.array(fc.integer({ min: 20, max: 1_100 }), { maxLength: 4 }),
        fc.integer({ min: 1, max: 4 }),
        async (settings, uninstalled, members, steps, ticks, chunk) => {
          const run = ++runs;
          const domains = [`batch-${run}-a.myshopify.com`, `batch-${run}-b.myshopify.com`];
          const domainOf = (member: number) => domains[member % 2];
          const perMember = freshDatabase().db;
          const passes = freshDatabase().db;
          try {
            for (const db of [perMember, passes]) {
              for (const [i, domain] of domains.entries()) await setUpShop(db, domain, settings[i]);
              if (uninstalled) await db.shop.update({ where: { domain: domains[1] }, data: { uninstalledAt: new Date(START) } });
            }
            const ordersA = new Map<string, { member: number; facts: OrderFacts }>();
            const ordersB = new Map<string, { member: number; facts: OrderFacts }>();
            const snapshots = async (db: PrismaClient) => Promise.all(domains.map((d) => snapshot(db, d)));
            for (const op of operations(settings.map((s) => s.timezone), members, steps, ticks)) {
              // The database work resolves its promises at once; let the worker's event loop answer
              // the test runner now and then (a long chain of microtasks starves its RPC).
              await new Promise((resolve) => setImmediate(resolve));
              if (op.kind !== "jobs") {
                await apply(perMember, domainOf(op.member), op, ordersA);
                await apply(passes, domainOf(op.member), op, ordersB);
                continue;
              }
              const now = new Date(op.at);
              await runPerMember(perMember, now);
              // Each pass, then the same pass again (as after a crash before its run was marked
              // done): the second writes nothing. (The tier evaluation can write new credits that
              // the expiry would take, so each is rerun right after itself.)
              for (const job of ["points-expiry", "tier-evaluation"] as const) {
                const done = await runPass(passes, job, now, chunk);
                for (const [k, v] of Object.entries(done)) seen[k] = (seen[k] ?? 0) + v;
                const after = await snapshots(passes);
                const again = await runPass(passes, job, now, chunk);
                expect(Object.entries(again).filter(([k, v]) => k !== "members" && v !== 0)).toEqual([]);
                expect(await snapshots(passes)).toEqual(after);
              }
              expect(await snapshots(passes)).toEqual(await snapshots(perMember));
            }
            seen.pastBaselines = (seen.pastBaselines ?? 0) + (await passes.pastTierBaseline.count());
          } finally {
            await perMember.$disconnect();
            await passes.$disconnect();
          }
        },
      ),
      { numRuns: Number(process.env.TIERWISE_BATCH_RUNS ?? 12), ...(process.env.TIERWISE_BATCH_SEED ? { seed: Number(process.env.TIERWISE_BATCH_SEED) } : {}) },
    );
    // The random shops exercised what the passes decide, not only empty runs.
    if (process.env.TIERWISE_BATCH_SEEN) console.log(seen);
    expect(seen.expired).toBeGreaterThan(0);
    expect(seen.evaluated).toBeGreaterThan(0);
    // Both ways of deciding a member ran: settled in SQL, and in JavaScript (evaluated includes settled).
    expect(seen.settled).toBeGreaterThan(0);
    expect(seen.evaluated).toBeGreaterThan(seen.settled);
    // Members went through more than one period end, so baselines were replaced and kept.
    expect(seen.pastBaselines).toBeGreaterThan(0);
  });

  it("settle in SQL a member whose year reaches the retain bar exactly, and decide one a point short in code", async () => {
    const settings: ShopSettings = {
      timezone: "UTC", period: "CALENDAR_YEAR", basis: "POINTS", policy: "FLOOR_AT_ZERO",
      expiryMode: "ENTRY_AGE", expiryMonths: 13, reminderDays: 0, silverRetain: 250, goldRetain: null,
    };
    const domain = "batch-bar.myshopify.com";
    const results = [];
    const passCounts: Record<string, number>[] = [];
    for (const viaPass of [false, true]) {
      const { db } = database();
      await setUpShop(db, domain, settings);
      const orders = new Map<string, { member: number; facts: OrderFacts }>();
      const jobs = async (at: number) => {
        const now = new Date(at);
        if (!viaPass) return runPerMember(db, now);
        await runPass(db, "points-expiry", now, 10);
        passCounts.push(await runPass(db, "tier-evaluation", now, 10));
      };
      // Both reach Silver (500) in 2024 and keep it at the 2025 evaluation; in 2025 one earns the
      // retain bar (250) exactly, the other a point less.
      for (const member of [0, 1]) {
        await apply(db, domain, { kind: "join", at: START + member * HOUR, member }, orders);
        await apply(db, domain, { kind: "adjust", at: Date.UTC(2024, 5, 1), member, points: 600, id: `a${member}` }, orders);
      }
      await jobs(Date.UTC(2025, 0, 1, 2));
      for (const [member, points] of [[0, 250], [1, 249]]) {
        await apply(db, domain, { kind: "adjust", at: Date.UTC(2025, 5, 1), member, points, id: `b${member}` }, orders);
      }
      await jobs(Date.UTC(2026, 0, 1, 2));
      const tiers = await db.member.findMany({ orderBy: { platformCustomerId: "asc" }, select: { platformCustomerId: true, tier: { select: { name: true } } } });
      results.push({ tiers: tiers.map((m) => [m.platformCustomerId, m.tier?.name]), snapshot: await snapshot(db, domain) });
    }
    expect(results[0].tiers).toEqual([["m0", "Silver"], ["m1", "Bronze"]]);
    expect(results[1]).toEqual(results[0]);
    // 2025: both settled in SQL; 2026: m0 settled, m1 decided in code (and downgraded).
    expect(passCounts.map((c) => [c.evaluated, c.settled, c.downgraded])).toEqual([[2, 2, 0], [2, 1, 1]]);
  });

  it("expire at a clamped month end only the oldest credits that are due, once, member by member and in the pass", async () => {
    const settings: ShopSettings = {
      timezone: "UTC", period: "CALENDAR_YEAR", basis: "POINTS", policy: "FLOOR_AT_ZERO",
      expiryMode: "ENTRY_AGE", expiryMonths: 1, reminderDays: 0, silverRetain: null, goldRetain: null,
    };
    const domain = "batch-clamp.myshopify.com";
    const results = [];
    for (const run of [runPerMember, (db: PrismaClient, now: Date) => runPass(db, "points-expiry", now, 2)]) {
      const { db } = database();
      await setUpShop(db, domain, settings);
      const orders = new Map<string, { member: number; facts: OrderFacts }>();
      await apply(db, domain, { kind: "join", at: Date.UTC(2026, 0, 1, 8), member: 0 }, orders);
      // 1 month later: 28 Jan 05:00 -> 28 Feb 05:00; 30 Jan 23:00 -> 28 Feb 23:00; 31 Jan 01:00 -> 28 Feb 01:00.
      for (const [id, at, points] of [["x", Date.UTC(2026, 0, 28, 5), 10], ["y", Date.UTC(2026, 0, 30, 23), 20], ["z", Date.UTC(2026, 0, 31, 1), 30]] as const) {
        await apply(db, domain, { kind: "adjust", at, member: 0, points, id }, orders);
      }
      const noon = new Date(Date.UTC(2026, 1, 28, 12));
      await run(db, noon);
      await run(db, noon);
      await run(db, new Date(Date.UTC(2026, 1, 28, 13)));
      const expiries = (await db.ledgerEntry.findMany({ where: { kind: "EXPIRY" }, orderBy: { occurredAt: "asc" } })).map((e) => [e.points, e.occurredAt.toISOString()]);
      await run(db, new Date(Date.UTC(2026, 1, 28, 23, 30)));
      const all = (await db.ledgerEntry.findMany({ where: { kind: "EXPIRY" }, orderBy: { occurredAt: "asc" } })).map((e) => [e.points, e.occurredAt.toISOString()]);
      results.push({ expiries, all, remaining: await db.ledgerEntry.aggregate({ _sum: { remaining: true } }) });
    }
    // At noon the welcome points and x are due, and are the oldest: they go. z is due too but
    // younger than y, which is not: z waits for y, and both go together once y is due.
    expect(results[0].expiries).toEqual([[-110, "2026-02-28T12:00:00.000Z"]]);
    expect(results[0].all).toEqual([[-110, "2026-02-28T12:00:00.000Z"], [-50, "2026-02-28T23:30:00.000Z"]]);
    expect(results[1]).toEqual(results[0]);
  });

  it("resume after a chunk fails half-way, from the saved cursor, to the state an unbroken run reaches", async () => {
    const settings: ShopSettings = {
      timezone: "Europe/Warsaw", period: "CALENDAR_YEAR", basis: "POINTS", policy: "FLOOR_AT_ZERO",
      expiryMode: "ENTRY_AGE", expiryMonths: 6, reminderDays: 20, silverRetain: 300, goldRetain: 800,
    };
    const domain = "batch-resume.myshopify.com";
    const { db, file } = database();
    await setUpShop(db, domain, settings);
    const orders = new Map<string, { member: number; facts: OrderFacts }>();
    // 24 members, each with orders over 2025 (some reach Silver or Gold, most do not keep it).
    for (let m = 0; m < 24; m++) {
      await apply(db, domain, { kind: "join", at: START + m * HOUR, member: m }, orders);
      for (let k = 0; k < 3; k++) {
        const at = Date.UTC(2025, (m * 5 + k * 4) % 12, 1 + ((m + k) % 27), 12);
        await apply(db, domain, { kind: "order", at, deliveredAt: at, member: m, amount: 4_000 + ((m * 7919 + k * 104_729) % 50_000), id: `o${m}-${k}` }, orders);
      }
    }
    await db.$disconnect();
    const copy = `${file}.copy.sqlite`;
    copyFileSync(file, copy);
    const reference = createDatabaseClient(`file:${copy}`);
    clients.push(reference);
    const crashing = createDatabaseClient(`file:${file}`);
    clients.push(crashing);

    const now = new Date("2026-01-01T03:00:00Z");
    const jobs = automationJobs({ handlersAt: () => ({}) as never, chunkSize: 4 }).filter((j) => j.name === "points-expiry" || j.name === "tier-evaluation");
    const members = await crashing.member.findMany({ orderBy: { id: "asc" }, select: { id: true } });
    // A real failure inside the transaction of a middle chunk: SQLite refuses one member's writes.
    const sqlite = new Database(file);
    const victim = members[13].id;
    sqlite.exec(`CREATE TRIGGER fail_expiry BEFORE INSERT ON "LedgerEntry" WHEN NEW."memberId" = '${victim}' AND NEW."kind" = 'EXPIRY' BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    sqlite.exec(`CREATE TRIGGER fail_tiers BEFORE UPDATE OF "tierBaselineAt" ON "Member" WHEN NEW."id" = '${victim}' BEGIN SELECT RAISE(ABORT, 'disk full'); END`);

    const first = await new Scheduler({ db: crashing, jobs, owner: "first" }).tick(now);
    expect(first.map((r) => [r.job, r.status])).toEqual([["points-expiry", "RETRY"], ["tier-evaluation", "RETRY"]]);
    const runs = await crashing.jobRun.findMany({ orderBy: { job: "asc" } });
    // Everything before the failing chunk is done and its cursor saved; nothing of the failing chunk was kept.
    for (const run of runs) expect(run.cursor! < victim).toBe(true);
    expect(await crashing.ledgerEntry.count({ where: { kind: "EXPIRY", memberId: { gt: runs[0].cursor! } } })).toBe(0);
    expect(await crashing.member.count({ where: { id: { gt: runs[1].cursor! }, tierBaselineAt: { not: null } } })).toBe(0);
    expect(await crashing.ledgerEntry.count({ where: { kind: "EXPIRY", memberId: { lte: runs[0].cursor! } } })).toBeGreaterThan(0);

    sqlite.exec(`DROP TRIGGER fail_expiry; DROP TRIGGER fail_tiers;`);
    sqlite.close();
    // The retry comes after its backoff, on another scheduler: it resumes from the cursor.
    const later = new Date(now.getTime() + 31_000);
    const second = await new Scheduler({ db: crashing, jobs, owner: "second" }).tick(later);
    expect(second.map((r) => [r.job, r.status])).toEqual([["points-expiry", "DONE"], ["tier-evaluation", "DONE"]]);

    // The reference: the same chunks without the failure, the ones before the cursor at `now`,
    // the rest at the retry's clock (the scheduler gives each batch the time of its tick).
    for (const [job, run] of jobs.map((j) => [j, runs.find((r) => r.job === j.name)!] as const)) {
      let cursor: string | null = null;
      do {
        const clock: Date = cursor !== null && cursor >= run.cursor! ? later : now;
        cursor = (await job.run({ db: reference, now: clock, cursor, batchSize: 4 })).cursor;
      } while (cursor);
    }
    const crashed = await snapshot(crashing, domain);
    expect(crashed).toEqual(await snapshot(reference, domain));
    expect(crashed.ledger.filter((e) => e.includes('"EXPIRY"')).length).toBeGreaterThan(3);
    expect(crashed.changes.length).toBeGreaterThan(3);
  });
});
