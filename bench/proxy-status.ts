// Benchmark 2: the storefront status through the signed app proxy: the widget's one request per
// page view. Requests/s flat out at concurrency 64, then p99 at a steady 1,000 requests/s.
//   npx tsx bench/proxy-status.ts [--members 300] [--requests 10000] [--unsettled]
// The request is answered by server.mjs's fast path (docs/decisions/013-storefront-status-fast-path.md).
import os from "node:os";
import path from "node:path";
import { appProxyUrl } from "../tests/support/app-proxy";
import { startApp } from "../tests/support/app-server";
import { customer, line, order } from "../tests/support/facts";
import { ensureBuild, fmt, migratedDatabase, removeDatabase, runLoad, type LoadRequest, type Row } from "./lib";

const SHOP = "bench-proxy.myshopify.com";

/** The scheduler's hourly jobs (app/jobs/automation-jobs.server.ts), which run once when the app starts. */
const HOURLY_JOBS = ["points-expiry", "birthdays", "tier-evaluation", "engagement"];

/**
 * Brings the freshly seeded store to its steady state before measuring: the scheduler's first tick
 * (its hourly jobs over every member, which send a "we miss you" for each of these year-old
 * orders) has finished, and the outbox messages of the seeding and of that tick count as sent.
 * There is no Shopify here to send them to: left pending, thousands of messages for a shop without
 * a Shopify session are retried by the app's worker thread all through the measurement, a core's
 * worth of Prisma work beside the requests measured. `--unsettled` measures that case.
 */
async function settle(db: import("@prisma/client").PrismaClient) {
  const started = Date.now();
  while ((await db.jobRun.count({ where: { job: { in: HOURLY_JOBS }, status: "DONE" } })) < HOURLY_JOBS.length) {
    if (Date.now() - started > 120_000) throw new Error("the scheduler's first tick did not finish within 2 minutes");
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await db.outboxMessage.updateMany({ where: { status: "PENDING" }, data: { status: "DELIVERED", deliveredAt: new Date() } });
}

export async function benchProxyStatus(options: { members: number; requests: number; unsettled?: boolean }): Promise<{ rows: Row[]; details: Record<string, unknown> }> {
  ensureBuild();
  const url = migratedDatabase(path.join(os.tmpdir(), `tierwise-bench-proxy-${process.pid}.sqlite`));
  process.env.DATABASE_URL = url;
  const { createDatabaseClient } = await import("../app/db.server");
  const { installShop } = await import("../app/loyalty/program.server");
  const { processEvent } = await import("../app/loyalty/events.server");
  const db = createDatabaseClient(url);
  await installShop(db, SHOP, { currency: "USD", timezone: "UTC" });
  for (let i = 0; i < options.members; i++) {
    // Balances spread across the tiers, a few orders each.
    for (let o = 0; o < 3; o++) {
      const id = `p${i}-${o}`;
      await processEvent(db, { shopDomain: SHOP, dedupeKey: id, topic: "bench" }, { type: "order", order: order(id, customer(`${1000 + i}`), [line("l", 5_000 + ((i * 7919 + o * 104_729) % 60_000))]) });
    }
  }
  const requests = (count: number) => ({
    count,
    make: (i: number): LoadRequest => {
      // One in five page views is a visitor who is not signed in. Signed as it is sent, as Shopify does.
      const customerId = i % 5 === 0 ? null : String(1000 + (i % options.members));
      const target = new URL(appProxyUrl("http://x", "/proxy/status", { shop: SHOP, customerId }));
      return { method: "GET", path: target.pathname + target.search };
    },
  });
  const app = await startApp(url);
  try {
    if (!options.unsettled) await settle(db);
    await db.$disconnect();
    await runLoad(app.url, requests(500), 64);
    const flat = await runLoad(app.url, requests(options.requests), 64);
    const steady = await runLoad(app.url, requests(options.requests), 64, { ratePerSecond: 1_000 });
    return {
      rows: [
        { benchmark: `2. storefront status via app proxy, flat out (c=64)`, figure: `${fmt(flat.perSecond)} req/s; p50 ${fmt(flat.p50, 1)} / p99 ${fmt(flat.p99, 1)} ms`, target: "-", met: "-" },
        { benchmark: `2. storefront status at 1,000 req/s (c=64)`, figure: `${fmt(steady.perSecond)} req/s; p50 ${fmt(steady.p50, 1)} / p99 ${fmt(steady.p99, 1)} ms`, target: "p99 <= 10 ms at 1,000 req/s", met: steady.p99 <= 10 && steady.perSecond >= 950 && (steady.statuses[200] ?? 0) === steady.requests ? "yes" : "no" },
      ],
      details: {
        flat: { statuses: flat.statuses, errors: flat.errors, samples: flat.samples },
        steady: { statuses: steady.statuses, errors: steady.errors, samples: steady.samples, seconds: steady.seconds },
      },
    };
  } finally {
    await app.stop();
    removeDatabase(url);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const result = await benchProxyStatus({ members: arg("members", 300), requests: arg("requests", 10_000), unsettled: process.argv.includes("--unsettled") });
  const { printTable } = await import("./lib");
  printTable(result.rows);
  console.log(JSON.stringify(result.details));
  process.exit(0);
}
