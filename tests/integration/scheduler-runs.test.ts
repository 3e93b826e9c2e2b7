import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { latestSlot, retryBackoffMs, Scheduler, type JobDefinition } from "../../app/jobs/scheduler.server";
import { schedulerEnabled } from "../../app/jobs/scheduler-switch";
import { startApp } from "../support/app-server";
import { freshDatabase } from "../support/database";

let db: PrismaClient;
let url: string;
beforeAll(() => {
  ({ db, url } = freshDatabase());
});
afterAll(() => db.$disconnect());

/** A job over the numbers 1..total, `size` at a time, that records what it processed. */
function countingJob(name: string, total: number, seen: number[], failOn: Set<number> = new Set()): JobDefinition {
  return {
    name,
    cron: "0 * * * *",
    batchSize: 3,
    maxAttempts: 3,
    async run({ cursor, batchSize }) {
      const from = cursor ? Number(cursor) : 0;
      const batch = Array.from({ length: Math.min(batchSize, total - from) }, (_, i) => from + i + 1);
      for (const n of batch) {
        if (failOn.has(n)) {
          failOn.delete(n);
          throw new Error(`item ${n} failed`);
        }
        seen.push(n);
      }
      return { counts: { items: batch.length }, cursor: from + batch.length < total ? String(from + batch.length) : null };
    },
  };
}

describe("the scheduler", () => {
  it("runs each cron slot once, records the run with its counts, and waits for the next slot", async () => {
    const seen: number[] = [];
    const scheduler = new Scheduler({ db, jobs: [countingJob("count", 7, seen)] });
    const t = new Date("2026-04-01T10:15:00Z");
    expect(latestSlot("0 * * * *", t).toISOString()).toBe("2026-04-01T10:00:00.000Z");
    const [report] = await scheduler.tick(t);
    expect(report).toMatchObject({ job: "count", batches: 3, status: "DONE", counts: { items: 7 } });
    expect(await scheduler.tick(new Date("2026-04-01T10:59:00Z"))).toEqual([]);
    await scheduler.tick(new Date("2026-04-01T11:00:00Z"));
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 1, 2, 3, 4, 5, 6, 7]);
    const runs = await db.jobRun.findMany({ where: { job: "count" }, orderBy: { slot: "asc" } });
    expect(runs.map((r) => [r.slot.toISOString(), r.status, JSON.parse(r.counts), r.batches])).toEqual([
      ["2026-04-01T10:00:00.000Z", "DONE", { items: 7 }, 3],
      ["2026-04-01T11:00:00.000Z", "DONE", { items: 7 }, 3],
    ]);
  });

  it("retries a failed batch from its cursor after a backoff, and gives up after the attempts allowed", async () => {
    const seen: number[] = [];
    const scheduler = new Scheduler({ db, jobs: [countingJob("flaky", 7, seen, new Set([5]))] });
    const t = new Date("2026-04-02T10:00:00Z");
    const [first] = await scheduler.tick(t);
    expect(first).toMatchObject({ status: "RETRY", batches: 1 });
    // Not before the backoff has passed.
    expect(await scheduler.tick(new Date(t.getTime() + retryBackoffMs(1) - 1))).toEqual([]);
    const [second] = await scheduler.tick(new Date(t.getTime() + retryBackoffMs(1)));
    expect(second).toMatchObject({ status: "DONE" });
    // Items 1-3 once; the failed batch (4, 5, 6) again from its start: 4 ran twice (jobs must be idempotent per item).
    expect(seen).toEqual([1, 2, 3, 4, 4, 5, 6, 7]);
    const run = await db.jobRun.findFirstOrThrow({ where: { job: "flaky" } });
    expect([run.status, run.attempts, run.lastError, JSON.parse(run.counts)]).toEqual(["DONE", 1, "item 5 failed", { items: 7 }]);

    const broken: JobDefinition = { name: "broken", cron: "0 * * * *", maxAttempts: 2, run: async () => { throw new Error("always"); } };
    const b = new Scheduler({ db, jobs: [broken] });
    await b.tick(t);
    await b.tick(new Date(t.getTime() + retryBackoffMs(1)));
    const dead = await db.jobRun.findFirstOrThrow({ where: { job: "broken" } });
    expect([dead.status, dead.attempts]).toEqual(["FAILED", 2]);
    // The next slot starts afresh.
    await b.tick(new Date("2026-04-02T11:00:00Z"));
    expect(await db.jobRun.count({ where: { job: "broken" } })).toBe(2);
  });

  it("hands its run back when stopped between batches, so a restart resumes at once", async () => {
    const seen: number[] = [];
    let scheduler!: Scheduler;
    const job = countingJob("stoppable", 9, seen);
    const stopping: JobDefinition = {
      ...job,
      async run(ctx) {
        const result = await job.run(ctx);
        if (seen.length === 3) void scheduler.stop();
        return result;
      },
    };
    scheduler = new Scheduler({ db, jobs: [stopping] });
    const t = new Date("2026-04-03T10:00:00Z");
    expect((await scheduler.tick(t))[0]).toMatchObject({ batches: 1, status: "RUNNING" });
    const run = await db.jobRun.findFirstOrThrow({ where: { job: "stoppable" } });
    expect([run.status, run.leaseOwner, run.cursor]).toEqual(["RUNNING", null, "3"]);
    const restarted = new Scheduler({ db, jobs: [stopping] });
    expect((await restarted.tick(t))[0]).toMatchObject({ batches: 2, status: "DONE" });
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("is started by the app process, and stays off under the test runner unless asked", async () => {
    expect(schedulerEnabled({ VITEST: "true" })).toBe(false);
    expect(schedulerEnabled({ VITEST: "true", TIERWISE_SCHEDULER: "on" })).toBe(true);
    expect(schedulerEnabled({ TIERWISE_SCHEDULER: "off" })).toBe(false);
    expect(schedulerEnabled({})).toBe(true);

    const off = await startApp(url);
    await off.stop();
    expect(off.output()).not.toContain("scheduler started");

    const app = await startApp(url, { TIERWISE_SCHEDULER: "on", TIERWISE_SCHEDULER_INTERVAL_MS: "200" });
    try {
      const deadline = Date.now() + 20_000;
      // The scheduler starts in the server's background worker thread.
      while (Date.now() < deadline && !/scheduler started/.test(app.output())) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(app.output()).toMatch(/scheduler started/);
      while (Date.now() < deadline && (await db.jobRun.count({ where: { job: "outbox", status: "DONE" } })) === 0) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const jobs = await db.jobRun.findMany({ where: { job: { in: ["outbox", "points-expiry", "engagement"] } } });
      expect(new Set(jobs.map((j) => j.job))).toEqual(new Set(["outbox", "points-expiry", "engagement"]));
    } finally {
      await app.stop();
    }
  });
});
