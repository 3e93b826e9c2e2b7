// Benchmark 2: the storefront status through the signed app proxy: the widget's one request per
// page view. Requests/s flat out at concurrency 64, then p99 at a steady 1,000 requests/s.
//   npx tsx bench/proxy-status.ts [--members 300] [--requests 10000] [--pending-outbox]
// The request is answered by server.mjs's fast path (docs/decisions/013-storefront-status-fast-path.md).
import os from "node:os";
import path from "node:path";
import { appProxyUrl } from "../tests/support/app-proxy";
import { startApp } from "../tests/support/app-server";
import { customer, line, order } from "../tests/support/facts";
import { ensureBuild, fmt, migratedDatabase, runLoad, type LoadRequest, type Row } from "./lib";

const SHOP = "bench-proxy.myshopify.com";

export async function benchProxyStatus(options: { members: number; requests: number; pendingOutbox?: boolean }): Promise<{ rows: Row[]; details: Record<string, unknown> }> {
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
  // A store in its steady state: the tag syncs and Flow triggers of these orders went out when they
  // came in. Left pending, ~3,500 messages for a shop with no Shopify session would be retried by
  // the app's worker thread all through the measurement, taking a core's worth of Prisma work
  // away from the requests measured here (run with --pending-outbox to see that case).
  if (!options.pendingOutbox) {
    await db.outboxMessage.updateMany({ where: { status: "PENDING" }, data: { status: "DELIVERED", deliveredAt: new Date() } });
  }
  await db.$disconnect();
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
    await runLoad(app.url, requests(500), 64);
    const flat = await runLoad(app.url, requests(options.requests), 64);
    const steady = await runLoad(app.url, requests(options.requests), 64, { ratePerSecond: 1_000 });
    return {
      rows: [
        { benchmark: `2. storefront status via app proxy, flat out (c=64)`, figure: `${fmt(flat.perSecond)} req/s; p50 ${fmt(flat.p50, 1)} / p99 ${fmt(flat.p99, 1)} ms`, target: "-", met: "-" },
        { benchmark: `2. storefront status at 1,000 req/s (c=64)`, figure: `${fmt(steady.perSecond)} req/s; p50 ${fmt(steady.p50, 1)} / p99 ${fmt(steady.p99, 1)} ms`, target: "p99 <= 10 ms at 1,000 req/s", met: steady.p99 <= 10 && steady.perSecond >= 950 && (steady.statuses[200] ?? 0) === steady.requests ? "yes" : "no" },
      ],
      details: { flat: { statuses: flat.statuses, samples: flat.samples }, steady: { statuses: steady.statuses, samples: steady.samples, seconds: steady.seconds } },
    };
  } finally {
    await app.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const result = await benchProxyStatus({ members: arg("members", 300), requests: arg("requests", 10_000), pendingOutbox: process.argv.includes("--pending-outbox") });
  const { printTable } = await import("./lib");
  printTable(result.rows);
  console.log(JSON.stringify(result.details));
  process.exit(0);
}
