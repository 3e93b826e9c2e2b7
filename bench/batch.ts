// Benchmark 4: the batch jobs over a big shop. A shop of 1,000,000 members with 10,000,000 ledger
// entries is generated straight into SQLite (better-sqlite3), then the real scheduled jobs run over
// it through the real Scheduler, each in a child process of its own (so its peak memory is its own):
// the period-end tier evaluation (calendar-year tiers, the year just ended) and the points expiry
// (12 months after a credit was earned, reminders 14 days ahead). Then each job runs once more over
// the same shop: a rerun must write nothing (and shows the cost of an hourly run with little due).
// Target: <= 20 s for the batch.
//   npx tsx bench/batch.ts [--members 1000000] [--entries-per-member 10] [--chunk 5000] [--lag-days 7] [--keep]
//   npx tsx bench/batch.ts --members 1000000 --generate-only   (then: --from /tmp/...sqlite.generated)
//   (npm run bench -- --only batch --quick: 20,000 members)
//
// The shop: members enrolled over three years; a welcome credit each, then orders (with their
// OrderRecord, points earned at the tier multiplier the timeline gives), staff adjustments,
// birthdays and redemptions; tiers (Bronze 0 / Silver 500 / Gold 1000 points a calendar year,
// kept at 250 / 800) computed with the real timeline, and a baseline from last year's evaluation
// for members enrolled before it; FIFO remainders and past expiries as the expiry job would have
// left them, except that the scheduler was down for the last `--lag-days` (7): credits that fell
// due in that week still have points left, and the tier evaluation of 1 January is due too.
// Dates are written as the app writes them (ISO text with +00:00). Ledger rows go in in time order,
// as a live shop writes them, and the ledger's indexes are built afterwards.
import type { Tier } from "@prisma/client";
import Database from "better-sqlite3";
import { execFileSync } from "node:child_process";
import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sqlDate } from "../app/db/sql.server";
import { addMonths } from "../app/loyalty/expiry";
import { tierKept } from "../app/loyalty/period-end.server";
import { basePoints, withMultiplier } from "../app/loyalty/earning";
import { memberTimeline, stepFor, type TierBaseline, type TierRules, type TimelineCredit, type TimelineOrder } from "../app/loyalty/timeline";
import type { EarnBasis, LadderStep, OrderGoods } from "../app/loyalty/types";
import { fmt, migratedDatabase, type Row } from "./lib";

const SHOP = "bench-batch.myshopify.com";
const DAY = 86_400_000;
const HOUR = 3_600_000;
const START = Date.UTC(2023, 0, 1);
/** Half an hour into the new year; the scheduler was down since `NOW - lag`. */
const NOW = new Date("2026-01-01T00:30:00.000Z");
const LAST_EVALUATION = new Date("2025-01-01T00:00:00.000Z");
const EXPIRY_MONTHS = 12;
const REMINDER_DAYS = 14;

interface Options {
  members: number;
  perMember: number;
  /** Members per transaction of the passes (the jobs' default when absent). */
  chunk?: number;
  lagDays?: number;
  /** Accepted from bench/run.ts and ignored (the old benchmark timed a slice and extrapolated). */
  slice?: number;
}

/** A small deterministic generator, so every run builds the same shop. */
function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** cuid-like ids whose order is their time's order (so rows inserted in time order go in id order). */
let idCounter = 0;
function timeId(ms: number): string {
  return `c${ms.toString(36).padStart(8, "0")}${(idCounter++).toString(36).padStart(8, "0")}bench000`;
}

interface Tiers {
  rows: Tier[];
  rules: TierRules;
  basis: EarnBasis;
}

interface Credit {
  id: string;
  occurredAt: number;
  remaining: number;
  due: number;
}

type Kind = "WELCOME" | "ORDER_EARN" | "ADJUSTMENT" | "BIRTHDAY" | "REDEMPTION" | "EXPIRY";

interface PlannedEvent {
  at: number;
  kind: Exclude<Kind, "EXPIRY">;
  points: number;
  orderIndex?: number;
}

function higher(a: LadderStep | null, b: LadderStep | null): LadderStep | null {
  return !a ? b : !b ? a : b.threshold > a.threshold ? b : a;
}

/**
 * memberTimeline for the generated histories (UTC calendar years, points basis, no refunds), done
 * without time-zone formatting so a million members take seconds. Checked against memberTimeline
 * on the first members of every run (see generate).
 */
function priceMember(orders: TimelineOrder[], credits: TimelineCredit[], tiers: Tiers, baseline: TierBaseline): { earned: Map<string, number>; tierId: string | null } {
  type Event = { at: number; kind: number; id: string; order?: TimelineOrder; points: number };
  const events: Event[] = [
    ...credits.map((c) => ({ at: c.at.getTime(), kind: 0, id: c.id, points: c.points })),
    ...orders.map((o) => ({ at: o.processedAt.getTime(), kind: 1, id: o.id, order: o, points: 0 })),
  ].sort((a, b) => a.at - b.at || a.kind - b.kind || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const ladder = tiers.rules.ladder;
  const baselineAt = baseline.at ? baseline.at.getTime() : Number.NEGATIVE_INFINITY;
  const baselineStep = ladder.find((s) => s.tierId === baseline.tierId) ?? null;
  const earned = new Map<string, number>();
  let year = Number.NaN;
  let yearSum = 0;
  let peakAll = Number.NEGATIVE_INFINITY;
  let peakSince = Number.NEGATIVE_INFINITY;
  for (const e of events) {
    let value = e.points;
    if (e.order) {
      const held = e.at < baselineAt ? stepFor(Math.max(0, peakAll), ladder) : higher(baselineStep, stepFor(Math.max(0, peakSince), ladder));
      value = withMultiplier(basePoints(e.order.eligibleMinor, tiers.basis), held?.multiplierPercent ?? 100, tiers.basis.rounding);
      earned.set(e.id, value);
    }
    const y = new Date(e.at).getUTCFullYear();
    if (y !== year) [year, yearSum] = [y, 0];
    yearSum += value;
    peakAll = Math.max(peakAll, yearSum);
    if (e.at >= baselineAt) peakSince = Math.max(peakSince, yearSum);
  }
  const tier = higher(higher(baselineStep, stepFor(0, ladder)), stepFor(Math.max(0, peakSince), ladder));
  return { earned, tierId: tier?.tierId ?? null };
}

/** Generates the shop into `file` (already migrated, shop installed); returns counts. */
function generate(file: string, shopId: string, tiers: Tiers, options: Options) {
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = OFF");
  sqlite.pragma("cache_size = -262144");
  // Index builds sort with a helper thread.
  sqlite.pragma("threads = 2");
  // Rows of a member go in before the member itself (its balance is known last).
  sqlite.pragma("foreign_keys = OFF");
  // The ledger is written without its secondary indexes, in time order from a staging table, and
  // the indexes are built afterwards (as fast as SQLite can, and the rows end up where a live
  // shop's would: by time, members interleaved).
  const ledgerIndexes = sqlite
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'LedgerEntry' AND sql IS NOT NULL`)
    .all() as { name: string; sql: string }[];
  for (const index of ledgerIndexes) sqlite.exec(`DROP INDEX "${index.name}"`);
  sqlite.exec(`CREATE TEMP TABLE stage (id TEXT, memberId TEXT, kind TEXT, points INTEGER, qualifying INTEGER, reason TEXT, sourceType TEXT, sourceId TEXT, orderId TEXT, idempotencyKey TEXT, occurredAt TEXT, remaining INTEGER)`);
  const stage = sqlite.prepare(`INSERT INTO stage VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const member = sqlite.prepare(
    `INSERT INTO "Member" ("id", "shopId", "platformCustomerId", "email", "acceptsMarketing", "balance", "lifetimePoints", "tierId", "tierSince", "tierBaselineId", "tierBaselineAt", "lastOrderAt", "enrolledAt", "createdAt", "updatedAt")
     VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const order = sqlite.prepare(
    `INSERT INTO "OrderRecord" ("id", "shopId", "platformOrderId", "memberId", "platformCustomerId", "email", "name", "currency", "sourceName", "processedAt", "paidAt", "goods", "earnBasis", "earnedPoints", "earnEntries", "createdAt", "updatedAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, 'USD', 'web', ?, ?, ?, ?, ?, 1, ?, ?)`,
  );
  const reminder = sqlite.prepare(
    `INSERT INTO "MessageLog" ("id", "shopId", "memberId", "trigger", "dedupeKey", "marketing", "data", "status", "queuedAt", "sentAt") VALUES (?, ?, ?, 'points_expiring', ?, 0, ?, 'SENT', ?, ?)`,
  );
  const basisText = JSON.stringify(tiers.basis);
  const ranUntil = NOW.getTime() - (options.lagDays ?? 7) * DAY;
  const counts = { members: 0, entries: 0, orders: 0, reminders: 0 };
  // Members enrol in time order, so their ids (cuid-like, time first) follow enrolment.
  const enrolments = Array.from({ length: options.members }, (_, i) => START + mulberry32(i * 7919 + 1)() * (NOW.getTime() - 2 * DAY - START)).sort((a, b) => a - b);

  const one = (i: number) => {
    const random = mulberry32(i * 104_729 + 17);
    const enrolledAt = Math.floor(enrolments[i]);
    const memberId = timeId(enrolledAt);
    const customerId = String(10_000_000 + i);
    const buyer = random() < 0.35;
    // With the expiries the job wrote, members average `perMember` entries.
    const count = Math.max(1, Math.round((options.perMember - 0.9) * (0.2 + 1.6 * random())));
    const times = Array.from({ length: count - 1 }, () => enrolledAt + HOUR + random() * (NOW.getTime() - enrolledAt - HOUR)).sort((a, b) => a - b);
    const planned: PlannedEvent[] = [{ at: enrolledAt, kind: "WELCOME", points: 100 }];
    const orders: { id: string; at: number; eligible: number; goods: OrderGoods }[] = [];
    for (const at of times) {
      const r = random();
      const t = Math.floor(at);
      if (buyer && r < 0.55) {
        const eligible = 1_000 + Math.floor(random() * 30_000);
        const goods: OrderGoods = { lines: [{ lineId: "1", productId: "p1", variantId: null, quantity: 1, netMinor: eligible, taxMinor: 0, giftCard: false }], shippingMinor: 0, shippingTaxMinor: 0, taxesIncluded: false };
        planned.push({ at: t, kind: "ORDER_EARN", points: 0, orderIndex: orders.length });
        orders.push({ id: timeId(t), at: t, eligible, goods });
      } else if (r < 0.7) planned.push({ at: t, kind: "ADJUSTMENT", points: 20 + Math.floor(random() * 130) });
      else if (r < 0.8) planned.push({ at: t, kind: "BIRTHDAY", points: 200 });
      else planned.push({ at: t, kind: "REDEMPTION", points: -[300, 500, 1000][Math.floor(random() * 3)] });
    }

    // Tiers and order points from the real timeline: last year's evaluation first (its baseline),
    // then the whole history under that baseline.
    const timelineOrders: TimelineOrder[] = orders.map((o) => ({ id: o.id, processedAt: new Date(o.at), basis: tiers.basis, eligibleMinor: o.eligible, refunds: [], cancelledAt: null }));
    const credits: TimelineCredit[] = planned.filter((e) => e.kind === "WELCOME" || e.kind === "ADJUSTMENT").map((e, n) => ({ id: `${memberId}:${n}`, at: new Date(e.at), points: e.points }));
    let baseline: TierBaseline = { tierId: null, at: null };
    if (enrolledAt < LAST_EVALUATION.getTime()) {
      const before = (at: Date) => at < LAST_EVALUATION;
      const then = priceMember(timelineOrders.filter((o) => before(o.processedAt)), credits.filter((c) => before(c.at)), tiers, baseline);
      const held = tiers.rows.find((t) => t.id === then.tierId);
      if (held) {
        const from = Date.UTC(2024, 0, 1);
        let amount = credits.filter((c) => c.at.getTime() >= from && before(c.at)).reduce((s, c) => s + c.points, 0);
        for (const o of timelineOrders) if (o.processedAt.getTime() >= from && before(o.processedAt)) amount += then.earned.get(o.id) ?? 0;
        baseline = { tierId: tierKept(tiers.rows, held, amount)?.id ?? null, at: LAST_EVALUATION };
      }
    }
    const result = priceMember(timelineOrders, credits, tiers, baseline);
    if (i < 300) {
      // The shortcut above must be what the app computes.
      const real = memberTimeline({ orders: timelineOrders, credits, current: tiers.rules, baseline });
      if (real.tierId !== result.tierId || [...real.orders].some(([id, o]) => o.earned !== result.earned.get(id))) {
        throw new Error(`generated member ${i} disagrees with memberTimeline`);
      }
    }
    for (const e of planned) if (e.kind === "ORDER_EARN") e.points = result.earned.get(orders[e.orderIndex!].id)!;

    // The ledger as the live shop wrote it: credits, redemptions when affordable, and the expiry
    // job's entries (FIFO: the credits due are the oldest) until the scheduler stopped.
    const fifo: Credit[] = [];
    let balance = 0;
    let lifetime = 0;
    let n = 0;
    const write = (kind: Kind, points: number, qualifying: boolean, at: number, key: string, remaining: number, orderId: string | null) => {
      const id = timeId(at);
      stage.run(id, memberId, kind, points, qualifying ? 1 : 0, kind === "ORDER_EARN" ? `Order #${orderId}` : kind.toLowerCase(), kind === "ORDER_EARN" ? "order" : kind.toLowerCase(), null, orderId, key, sqlDate(new Date(at)), remaining);
      counts.entries++;
      return id;
    };
    const consume = (points: number) => {
      let left = points;
      for (const credit of fifo) {
        if (left === 0) break;
        const take = Math.min(left, credit.remaining);
        credit.remaining -= take;
        left -= take;
      }
    };
    const expiryKeys = new Set<string>();
    const runExpiry = (until: number) => {
      for (;;) {
        // The hourly job, at the first tick after the oldest unspent credit falls due: it takes the
        // run of oldest credits that are due by then (app/loyalty/expiry.ts).
        const unspent = fifo.filter((c) => c.remaining > 0);
        if (unspent.length === 0) return;
        const tick = Math.ceil(unspent[0].due / HOUR) * HOUR;
        if (tick > until) return;
        const now: Credit[] = [];
        for (const c of unspent) {
          if (c.due > tick) break;
          now.push(c);
        }
        const points = now.reduce((s, c) => s + c.remaining, 0);
        const at = Math.max(...now.map((c) => c.due));
        const key = `expiry:${SHOP}:${memberId}:age:${new Date(at).toISOString()}`;
        if (expiryKeys.has(key)) return;
        expiryKeys.add(key);
        consume(points);
        balance -= points;
        write("EXPIRY", -points, false, tick, key, 0, null);
      }
    };
    const ids = new Map<string, string>();
    const byCredit: Credit[] = [];
    for (const e of planned) {
      runExpiry(Math.min(e.at, ranUntil));
      if (e.kind === "REDEMPTION" && balance < -e.points) continue;
      const key = e.kind === "ORDER_EARN" ? `order:${SHOP}:${orders[e.orderIndex!].id}:earn` : `${e.kind.toLowerCase()}:${SHOP}:${memberId}:${n++}`;
      const qualifying = e.kind !== "BIRTHDAY" && e.kind !== "REDEMPTION";
      if (e.points > 0) {
        const credit: Credit = { id: "", occurredAt: e.at, remaining: e.points, due: addMonths(new Date(e.at), EXPIRY_MONTHS).getTime() };
        fifo.push(credit);
        byCredit.push(credit);
      } else if (e.points < 0) consume(-e.points);
      balance += e.points;
      if (qualifying) lifetime += e.points;
      // Remainders are known only at the end: write the credits' rows last (below), the others now.
      if (e.points > 0) {
        (e as PlannedEvent & { key?: string; qualifying?: boolean }).key = key;
        (e as PlannedEvent & { key?: string; qualifying?: boolean }).qualifying = qualifying;
      } else if (e.points < 0) write(e.kind, e.points, qualifying, e.at, key, 0, null);
      if (e.kind === "ORDER_EARN") ids.set(key, orders[e.orderIndex!].id);
    }
    runExpiry(ranUntil);
    let c = 0;
    for (const e of planned) {
      if (e.points <= 0) continue;
      const extra = e as PlannedEvent & { key: string; qualifying: boolean };
      write(e.kind, e.points, extra.qualifying, e.at, extra.key, byCredit[c++].remaining, ids.get(extra.key) ?? null);
    }

    // Reminders the job sent before it stopped, for the expiries still ahead of it.
    for (const credit of fifo) {
      if (credit.remaining > 0 && credit.due > ranUntil && credit.due <= ranUntil + REMINDER_DAYS * DAY) {
        const at = new Date(credit.due);
        const queued = sqlDate(new Date(credit.due - REMINDER_DAYS * DAY));
        reminder.run(timeId(credit.due), shopId, memberId, `points_expiring:${memberId}:${at.toISOString()}`, JSON.stringify({ points: credit.remaining, expiresAt: at.toISOString() }), queued, queued);
        counts.reminders++;
      }
    }
    for (const o of orders) {
      const earned = result.earned.get(o.id)!;
      const at = sqlDate(new Date(o.at));
      order.run(o.id, shopId, o.id, memberId, customerId, `${customerId}@example.com`, `#${o.id}`, at, at, JSON.stringify(o.goods), basisText, earned, at, at);
      counts.orders++;
    }
    const lastOrder = orders.length ? sqlDate(new Date(orders[orders.length - 1].at)) : null;
    const enrolled = sqlDate(new Date(enrolledAt));
    member.run(memberId, shopId, customerId, `${customerId}@example.com`, balance, lifetime, result.tierId, enrolled, baseline.tierId, baseline.at ? sqlDate(baseline.at) : null, lastOrder, enrolled, enrolled, enrolled);
    counts.members++;
  };
  const batch = sqlite.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) one(i);
  });
  let phase = performance.now();
  const lap = (what: string) => {
    console.error(`  generate: ${what} ${fmt((performance.now() - phase) / 1000, 1)} s`);
    phase = performance.now();
  };
  for (let from = 0; from < options.members; from += 5_000) batch(from, Math.min(options.members, from + 5_000));
  lap("members, staged ledger");
  sqlite.exec(`INSERT INTO "LedgerEntry" ("id", "shopId", "memberId", "kind", "points", "waivedPoints", "qualifying", "reason", "sourceType", "sourceId", "orderId", "idempotencyKey", "occurredAt", "createdAt", "remaining")
    SELECT id, '${shopId}', memberId, kind, points, 0, qualifying, reason, sourceType, sourceId, orderId, idempotencyKey, occurredAt, occurredAt, remaining FROM stage ORDER BY id`);
  sqlite.exec(`DROP TABLE stage`);
  lap("ledger in time order");
  for (const index of ledgerIndexes) sqlite.exec(index.sql);
  lap("ledger indexes");
  sqlite.pragma("wal_checkpoint(TRUNCATE)");
  sqlite.close();
  return counts;
}

interface PassReport {
  seconds: number;
  /** CPU time of the process (user + system): what the pass cost apart from waiting for the shared cores. */
  cpuSeconds: number;
  peakRss: number;
  counts: Record<string, number>;
  batches: number;
}

/** Runs one scheduled job over the whole shop through the Scheduler (in this process). */
async function measurePass(url: string, job: string, chunk: number | undefined, now: Date): Promise<PassReport> {
  process.env.DATABASE_URL = url;
  // As in the server (server.mjs): the WAL checkpoints in a thread of their own, started first.
  const { startCheckpointer } = await import("../app/db/checkpointer.server");
  const { databaseFile } = await import("../app/db.server");
  const checkpointer = startCheckpointer(databaseFile(url));
  const { createDatabaseClient } = await import("../app/db.server");
  const { automationJobs } = await import("../app/jobs/automation-jobs.server");
  const { Scheduler } = await import("../app/jobs/scheduler.server");
  const db = createDatabaseClient(url);
  await db.$queryRawUnsafe("SELECT 1");
  const jobs = automationJobs({ handlersAt: () => { throw new Error("the outbox is not part of this benchmark"); }, chunkSize: chunk }).filter((j) => j.name === job);
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const [report] = await new Scheduler({ db, jobs, maxBatchesPerTick: 1_000_000 }).tick(now);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  clearInterval(timer);
  peak = Math.max(peak, peakRssOfThisProcess());
  await db.$disconnect();
  await checkpointer.stop();
  if (report?.status !== "DONE") throw new Error(`${job} did not finish: ${JSON.stringify(report)}`);
  return { seconds, cpuSeconds, peakRss: peak, counts: report.counts, batches: report.batches };
}

/**
 * The process's own peak RSS (Linux's VmHWM: the high-water mark of its address space, which
 * starts afresh at exec). Not getrusage's maxRSS: Linux carries that over from the parent across
 * fork and exec, so a pass started by a bench that had generated the shop reported the bench's
 * peak (346 MiB) instead of its own. 0 where /proc is missing (the sampled RSS stands).
 */
function peakRssOfThisProcess(): number {
  try {
    const kib = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"));
    return kib ? Number(kib[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Each pass in a child process of its own: its time and peak memory are its own. */
function passInChild(url: string, job: string, chunk: number | undefined, now = NOW): PassReport {
  const out = execFileSync(process.execPath, [...process.execArgv, import.meta.filename, "--pass", job, "--url", url, "--now", now.toISOString(), ...(chunk ? ["--chunk", String(chunk)] : [])], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split("\n").pop()!) as PassReport;
}

function forgetRuns(file: string) {
  const sqlite = new Database(file);
  sqlite.exec(`DELETE FROM "JobRun"`);
  sqlite.close();
}

/** Checks over the whole shop after the passes (not timed): the ledger and the caches agree. */
function verify(file: string) {
  const sqlite = new Database(file, { readonly: true });
  const bad = sqlite
    .prepare(
      `SELECT COUNT(*) AS n FROM "Member" m WHERE m."balance" <> (SELECT COALESCE(SUM("points"), 0) FROM "LedgerEntry" e WHERE e."memberId" = m."id")
         OR MAX(m."balance", 0) <> (SELECT COALESCE(SUM("remaining"), 0) FROM "LedgerEntry" e WHERE e."memberId" = m."id")`,
    )
    .get() as { n: number };
  const overdue = sqlite
    .prepare(`SELECT COUNT(*) AS n FROM "LedgerEntry" WHERE "remaining" > 0 AND "occurredAt" <= ? AND "expiresAt" IS NULL`)
    .get(sqlDate(addMonths(NOW, -EXPIRY_MONTHS))) as { n: number };
  const entries = (sqlite.prepare(`SELECT COUNT(*) AS n FROM "LedgerEntry"`).get() as { n: number }).n;
  sqlite.close();
  return { membersDisagreeing: bad.n, unspentCreditsOverdue: overdue.n, entries };
}

/** fsync of the database file (and its log, if any). */
function flushToDisk(file: string) {
  for (const name of [file, `${file}-wal`]) {
    if (!existsSync(name)) continue;
    const fd = openSync(name, "r+");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

/** A generated shop (bench/batch.ts --generate-only) used again instead of generating one. */
function reuse(from: string, file: string) {
  for (const suffix of ["-wal", "-shm"]) rmSync(file + suffix, { force: true });
  copyFileSync(from, file);
  const sqlite = new Database(file, { readonly: true });
  const count = (table: string) => (sqlite.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number }).n;
  const generated = { members: count("Member"), entries: count("LedgerEntry"), orders: count("OrderRecord"), reminders: count("MessageLog") };
  sqlite.close();
  return generated;
}

async function generateShop(file: string, url: string, options: Options) {
  const { createDatabaseClient } = await import("../app/db.server");
  const { installShop } = await import("../app/loyalty/program.server");
  const { currentEarnBasis, currentTierRules, loadShopContext } = await import("../app/loyalty/shop-context.server");
  const db = createDatabaseClient(url);
  const shop = await installShop(db, SHOP, { currency: "USD", timezone: "UTC" });
  await db.program.update({ where: { shopId: shop.id }, data: { tierPeriod: "CALENDAR_YEAR" } });
  await db.tier.update({ where: { shopId_position: { shopId: shop.id, position: 1 } }, data: { retainThreshold: 250 } });
  await db.tier.update({ where: { shopId_position: { shopId: shop.id, position: 2 } }, data: { retainThreshold: 800 } });
  await db.automationSettings.create({ data: { shopId: shop.id, expiryMode: "ENTRY_AGE", expiryMonths: EXPIRY_MONTHS, expiryReminderDays: REMINDER_DAYS } });
  const ctx = (await db.$transaction((tx) => loadShopContext(tx, SHOP)))!;
  await db.$disconnect();
  return generate(file, shop.id, { rows: ctx.tiers, rules: currentTierRules(ctx), basis: currentEarnBasis(ctx) }, options);
}

export async function benchBatch(options: Options & { from?: string }): Promise<{ rows: Row[]; details: Record<string, unknown> }> {
  const file = path.join(os.tmpdir(), `tierwise-bench-batch-${process.pid}.sqlite`);
  const url = migratedDatabase(file);
  process.env.DATABASE_URL = url;
  const load = [os.loadavg()[0]];
  const started = performance.now();
  const generated = options.from ? reuse(options.from, file) : await generateShop(file, url, options);
  const generatedSeconds = (performance.now() - started) / 1000;
  console.error(`${options.from ? "copied" : "generated"} ${JSON.stringify(generated)} in ${fmt(generatedSeconds, 1)} s`);
  // Generating or copying leaves gigabytes of dirty pages for the kernel to write back, which it
  // would do while the passes run (a live shop's database is on disk): written out first, untimed.
  const flushStarted = performance.now();
  flushToDisk(file);
  console.error(`flushed to disk in ${fmt((performance.now() - flushStarted) / 1000, 1)} s`);
  if (process.argv.includes("--generate-only")) {
    for (const suffix of ["-wal", "-shm"]) rmSync(file + suffix, { force: true });
    renameSync(file, `${file}.generated`);
    console.error(`generated shop in ${file}.generated (run the passes on it with --from)`);
    process.exit(0);
  }

  const tier = passInChild(url, "tier-evaluation", options.chunk);
  const expiry = passInChild(url, "points-expiry", options.chunk);
  const check = verify(file);
  // The same hour's runs again (as after a crash before they were marked done): nothing to write.
  forgetRuns(file);
  const tierAgain = passInChild(url, "tier-evaluation", options.chunk);
  const expiryAgain = passInChild(url, "points-expiry", options.chunk);
  load.push(os.loadavg()[0]);
  if (!process.argv.includes("--keep")) for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
  else console.error(`kept ${file}`);

  const mib = (bytes: number) => `${fmt(bytes / 2 ** 20)} MiB`;
  const total = tier.seconds + expiry.seconds;
  const shopSize = `${fmt(generated.members)} members, ${fmt(generated.entries)} entries`;
  return {
    rows: [
      { benchmark: `4. batch: ${options.from ? "copy a generated shop" : "generate"}: ${shopSize}, ${fmt(generated.orders)} orders`, figure: `${fmt(generatedSeconds, 1)} s`, target: "-", met: "-" },
      { benchmark: `4. batch: tier evaluation at period end (${fmt(tier.counts.evaluated ?? 0)} evaluated, ${fmt(tier.counts.downgraded ?? 0)} down)`, figure: `${fmt(tier.seconds, 1)} s (CPU ${fmt(tier.cpuSeconds, 1)} s), peak RSS ${mib(tier.peakRss)}`, target: "-", met: "-" },
      { benchmark: `4. batch: points expiry (${fmt(expiry.counts.expired ?? 0)} expiries, ${fmt(expiry.counts.reminders ?? 0)} reminders)`, figure: `${fmt(expiry.seconds, 1)} s (CPU ${fmt(expiry.cpuSeconds, 1)} s), peak RSS ${mib(expiry.peakRss)}`, target: "-", met: "-" },
      // The target is for 1,000,000 members; a smaller shop only shows the shape.
      { benchmark: `4. batch: both jobs over ${shopSize}`, figure: `${fmt(total, 1)} s`, target: "<= 20 s at 1M members", met: generated.members >= 1_000_000 ? (total <= 20 ? "yes" : "no") : "-" },
      { benchmark: `4. batch: both again, nothing due (hourly rerun)`, figure: `${fmt(tierAgain.seconds + expiryAgain.seconds, 1)} s`, target: "writes nothing", met: Object.entries({ ...tierAgain.counts, ...expiryAgain.counts }).every(([k, v]) => k === "members" || v === 0) ? "yes" : "no" },
    ],
    details: { generated, tier, expiry, tierAgain, expiryAgain, check, loadAverage: { start: load[0], end: load[1] } },
  };
}

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes("--pass")) {
    const report = await measurePass(arg("url", ""), arg("pass", ""), process.argv.includes("--chunk") ? Number(arg("chunk", "")) : undefined, new Date(arg("now", NOW.toISOString())));
    console.log(JSON.stringify(report));
    process.exit(0);
  }
  const result = await benchBatch({
    members: Number(arg("members", "1000000")),
    perMember: Number(arg("entries-per-member", "10")),
    chunk: process.argv.includes("--chunk") ? Number(arg("chunk", "")) : undefined,
    from: process.argv.includes("--from") ? arg("from", "") : undefined,
    lagDays: Number(arg("lag-days", "7")),
  });
  const { printTable } = await import("./lib");
  printTable(result.rows);
  console.log(JSON.stringify(result.details));
  process.exit(0);
}
