// Benchmark 3: redemptions per second through the signed app proxy, with codes created on the
// Shopify Admin API emulator, then a check that nothing was spent twice.
//   npx tsx bench/redemptions.ts [--customers 200] [--per-customer 5] [--concurrency 32]
import os from "node:os";
import path from "node:path";
import { createShopifyAdminEmulator, DEFAULT_SHOP } from "../tests/emulators/shopify-admin";
import { appProxyUrl } from "../tests/support/app-proxy";
import { startApp } from "../tests/support/app-server";
import { customer, line, order } from "../tests/support/facts";
import { ensureBuild, fmt, migratedDatabase, removeDatabase, root, runLoad, type Row } from "./lib";

export interface RedemptionOptions {
  customers: number;
  perCustomer: number;
  concurrency: number;
}

export async function benchRedemptions(options: RedemptionOptions): Promise<{ rows: Row[]; details: Record<string, unknown> }> {
  ensureBuild();
  const shop = DEFAULT_SHOP.domain;
  const url = migratedDatabase(path.join(os.tmpdir(), `tierwise-bench-redeem-${process.pid}.sqlite`));
  process.env.DATABASE_URL = url;
  const { createDatabaseClient } = await import("../app/db.server");
  const { installShop } = await import("../app/loyalty/program.server");
  const { processEvent } = await import("../app/loyalty/events.server");
  const { checkMember } = await import("../app/loyalty/ledger.server");
  const db = createDatabaseClient(url);
  const emulator = await createShopifyAdminEmulator();
  await installShop(db, shop);
  await db.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: DEFAULT_SHOP.accessToken } });
  const ids: string[] = [];
  for (let i = 0; i < options.customers; i++) {
    const id = emulator.addCustomer({ email: `bench${i}@example.com` }).id.split("/").pop()!;
    ids.push(id);
    // Welcome 100 points plus exactly enough for `perCustomer` 500-point rewards.
    const spend = (options.perCustomer * 500 - 100) * 100;
    await processEvent(db, { shopDomain: shop, dedupeKey: `bench-o${i}`, topic: "bench" }, { type: "order", order: order(`bench-o${i}`, customer(id), [line("l", spend)]) });
  }
  const reward = await db.reward.findFirstOrThrow({ where: { shop: { domain: shop }, kind: "FIXED_AMOUNT", pointsCost: 500 } });
  const total = options.customers * options.perCustomer;
  // Each shopper asks once more than they can afford: the last one must be refused, not overdrawn.
  const requests = {
    count: total + options.customers,
    make: (i: number) => {
      const target = new URL(appProxyUrl("http://x", "/proxy/redeem", { shop, customerId: ids[i % options.customers] }));
      return { method: "POST" as const, path: target.pathname + target.search, body: JSON.stringify({ rewardId: reward.id, requestId: `bench-request-${i}` }), headers: { "Content-Type": "application/json" } };
    },
  };
  const preload = path.join(root, "tests/emulators/shopify-admin/redirect-preload.mjs");
  const app = await startApp(url, { SHOPIFY_ADMIN_EMULATOR_URL: emulator.url, TIERWISE_SCHEDULER_INTERVAL_MS: "2000" }, ["--import", preload]);
  let load;
  let allIssuedSeconds = NaN;
  try {
    const started = performance.now();
    load = await runLoad(app.url, requests, options.concurrency);
    // Shopify's rate limit (the emulator's leaky bucket) leaves some codes pending under a burst;
    // the app's scheduler finishes them from the outbox. Time until every debit has its code.
    const deadline = Date.now() + 600_000;
    while ((await db.redemption.count({ where: { shop: { domain: shop }, status: "PENDING" } })) > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    allIssuedSeconds = (performance.now() - started) / 1000;
  } finally {
    await app.stop();
    await emulator.stop();
  }
  const redemptions = await db.redemption.findMany({ where: { shop: { domain: shop } } });
  const codes = emulator.snapshot().discounts.flatMap((d) => d.codes);
  let overdrafts = 0;
  let ledgerProblems = 0;
  for (const member of await db.member.findMany({ where: { shop: { domain: shop } } })) {
    if (member.balance < 0) overdrafts++;
    ledgerProblems += (await checkMember(db, member)).length;
  }
  await db.$disconnect();
  removeDatabase(url);
  const issued = redemptions.filter((r) => r.status === "ISSUED").length;
  const doubleSpends = redemptions.length - total + (new Set(codes).size === codes.length ? 0 : codes.length - new Set(codes).size);
  const clean = issued === total && codes.length === total && overdrafts === 0 && ledgerProblems === 0 && doubleSpends === 0;
  return {
    rows: [
      {
        benchmark: `3. redemptions (${fmt(requests.count)} requests, c=${options.concurrency})`,
        figure: `${fmt(load.perSecond, 1)} answered/s (p50 ${fmt(load.p50, 1)} / p99 ${fmt(load.p99, 1)} ms); all ${fmt(issued)} codes in ${fmt(allIssuedSeconds, 1)} s`,
        target: "no double spend",
        met: clean ? "yes" : "no",
      },
    ],
    details: { allIssuedSeconds, statuses: load.statuses, errors: load.errors, samples: load.samples, issued, codes: codes.length, overdrafts, ledgerProblems, doubleSpends, seconds: load.seconds },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const result = await benchRedemptions({ customers: arg("customers", 200), perCustomer: arg("per-customer", 5), concurrency: arg("concurrency", 32) });
  const { printTable } = await import("./lib");
  printTable(result.rows);
  console.log(JSON.stringify(result.details));
  process.exit(0);
}
