import { randomUUID } from "node:crypto";
import { Prisma } from "@prisma/client";
import { CronExpressionParser } from "cron-parser";
import type { Db } from "../db.server";

/**
 * One scheduler per app process; any number may run against one database. All state is in
 * JobRun rows:
 * - a run is created per job and cron slot; the unique (job, slot) key makes a slot run once
 *   however many schedulers tick, and a job has at most one unfinished run at a time;
 * - a scheduler works on a run only while it holds the run's lease (a conditional update on
 *   leaseOwner/leaseUntil), renewed after every batch; a stopped or killed scheduler's lease runs
 *   out and another one resumes the run from its saved cursor;
 * - a failing batch is retried with exponential backoff, then the run is marked FAILED and the
 *   next slot starts afresh.
 * Jobs must be idempotent per item (ledger idempotency keys, message dedupe keys): a batch
 * interrupted after its writes and before its cursor was saved runs again.
 * Time comes from the caller (`tick(now)`), so tests replay months in seconds.
 */

export interface JobContext {
  db: Db;
  now: Date;
  /** Where the previous batch of this run stopped; null for the first batch. */
  cursor: string | null;
  batchSize: number;
}

export interface BatchResult {
  counts: Record<string, number>;
  /** Where the next batch starts; null when the run is complete. */
  cursor: string | null;
}

export interface JobDefinition {
  name: string;
  /** Cron expression (UTC) for when a new run is due. */
  cron: string;
  batchSize?: number;
  maxAttempts?: number;
  run(ctx: JobContext): Promise<BatchResult>;
}

export interface SchedulerOptions {
  db: Db;
  jobs: JobDefinition[];
  owner?: string;
  leaseMs?: number;
  /** Stop working on a run after this many batches in one tick (the rest is resumed later). */
  maxBatchesPerTick?: number;
  clock?: () => Date;
  log?: (line: string) => void;
  /**
   * Awaited before each batch: lets more urgent work in the same thread go first (the app's
   * worker waits while webhook deliveries are being applied; see inbox-worker.mjs).
   */
  beforeBatch?: () => Promise<void>;
}

export interface TickReport {
  job: string;
  runId: string;
  batches: number;
  status: string;
  counts: Record<string, number>;
  ms: number;
}

const UNFINISHED = ["PENDING", "RUNNING", "RETRY"];

export function retryBackoffMs(attempts: number): number {
  return Math.min(60 * 60_000, 30_000 * 2 ** Math.max(0, attempts - 1));
}

/** The latest cron slot at or before `now`. */
export function latestSlot(cron: string, now: Date): Date {
  const expression = CronExpressionParser.parse(cron, { currentDate: new Date(now.getTime() + 1), tz: "UTC" });
  return expression.prev().toDate();
}

function addCounts(into: Record<string, number>, more: Record<string, number>) {
  for (const [key, value] of Object.entries(more)) into[key] = (into[key] ?? 0) + value;
  return into;
}

export class Scheduler {
  readonly owner: string;
  private readonly db: Db;
  private readonly jobs: JobDefinition[];
  private readonly leaseMs: number;
  private readonly maxBatchesPerTick: number;
  private readonly clock: () => Date;
  private readonly log: (line: string) => void;
  private readonly beforeBatch: () => Promise<void>;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopping = false;

  constructor(options: SchedulerOptions) {
    this.db = options.db;
    this.jobs = options.jobs;
    this.owner = options.owner ?? `${process.pid}:${randomUUID()}`;
    this.leaseMs = options.leaseMs ?? 10 * 60_000;
    this.maxBatchesPerTick = options.maxBatchesPerTick ?? 1_000;
    this.clock = options.clock ?? (() => new Date());
    this.log = options.log ?? (() => {});
    this.beforeBatch = options.beforeBatch ?? (async () => {});
  }

  /** Runs every job that is due at `now`, in the order given. */
  async tick(now: Date = this.clock()): Promise<TickReport[]> {
    const reports: TickReport[] = [];
    for (const job of this.jobs) {
      if (this.stopping) break;
      const started = performance.now();
      const report = await this.tickJob(job, now);
      if (report) reports.push({ ...report, ms: Math.round(performance.now() - started) });
    }
    return reports;
  }

  private async tickJob(job: JobDefinition, now: Date): Promise<Omit<TickReport, "ms"> | null> {
    // A new run is only created once the latest one finished, so the latest is the only unfinished one.
    const last = await this.db.jobRun.findFirst({ where: { job: job.name }, orderBy: { slot: "desc" } });
    let run = last && UNFINISHED.includes(last.status) ? last : null;
    if (!run) {
      const slot = latestSlot(job.cron, now);
      if (last && last.slot >= slot) return null;
      try {
        run = await this.db.jobRun.create({ data: { job: job.name, slot } });
      } catch (error) {
        // Another scheduler created this slot's run first: fine, try to take it.
        if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")) throw error;
        run = await this.db.jobRun.findUnique({ where: { job_slot: { job: job.name, slot } } });
        if (!run) return null;
      }
    }
    const claimed = await this.db.jobRun.updateMany({
      where: {
        id: run.id,
        status: { in: UNFINISHED },
        OR: [{ leaseUntil: null }, { leaseUntil: { lte: now } }],
        AND: [{ OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] }],
      },
      data: { status: "RUNNING", leaseOwner: this.owner, leaseUntil: new Date(now.getTime() + this.leaseMs), startedAt: run.startedAt ?? now },
    });
    if (claimed.count === 0) return null;

    let cursor = run.cursor;
    const counts = JSON.parse(run.counts) as Record<string, number>;
    let batches = 0;
    let status = "RUNNING";
    while (batches < this.maxBatchesPerTick && !this.stopping) {
      await this.beforeBatch();
      let result: BatchResult;
      try {
        result = await job.run({ db: this.db, now, cursor, batchSize: job.batchSize ?? 100 });
      } catch (error) {
        const attempts = run.attempts + 1;
        const dead = attempts >= (job.maxAttempts ?? 5);
        status = dead ? "FAILED" : "RETRY";
        const message = String(error instanceof Error ? error.message : error).slice(0, 2_000);
        this.log(`job ${job.name} run ${run.id} batch failed (attempt ${attempts}): ${message}`);
        await this.db.jobRun.updateMany({
          where: { id: run.id, leaseOwner: this.owner },
          data: {
            status,
            attempts,
            lastError: message,
            nextAttemptAt: new Date(now.getTime() + retryBackoffMs(attempts)),
            leaseOwner: null,
            leaseUntil: null,
            finishedAt: dead ? now : null,
          },
        });
        break;
      }
      batches++;
      addCounts(counts, result.counts);
      cursor = result.cursor;
      const done = cursor === null;
      if (done) status = "DONE";
      const saved = await this.db.jobRun.updateMany({
        where: { id: run.id, leaseOwner: this.owner },
        data: {
          cursor,
          counts: JSON.stringify(counts),
          batches: { increment: 1 },
          ...(done
            ? { status: "DONE", finishedAt: now, leaseOwner: null, leaseUntil: null }
            : { leaseUntil: new Date(now.getTime() + this.leaseMs) }),
        },
      });
      if (saved.count === 0) {
        // Our lease ran out and another scheduler took the run over; it resumes from its cursor.
        status = "LOST";
        break;
      }
      if (done) break;
    }
    if (status === "RUNNING" && this.stopping) {
      // Let the next scheduler resume at once instead of waiting for the lease to run out.
      await this.db.jobRun.updateMany({ where: { id: run.id, leaseOwner: this.owner }, data: { leaseOwner: null, leaseUntil: null } });
    }
    return { job: job.name, runId: run.id, batches, status, counts };
  }

  /** Ticks every `intervalMs` on the wall clock until stop(). */
  start(intervalMs = 30_000) {
    if (this.timer) return;
    this.stopping = false;
    const loop = () => {
      if (this.running || this.stopping) return;
      this.running = this.tick()
        .catch((error) => this.log(`scheduler tick failed: ${error instanceof Error ? error.stack : error}`))
        .finally(() => (this.running = null));
    };
    this.timer = setInterval(loop, intervalMs);
    this.timer.unref();
    loop();
  }

  /** Finishes the batch in progress, hands its run back, and stops ticking. */
  async stop() {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
