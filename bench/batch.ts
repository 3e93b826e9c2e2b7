// Benchmark 4: batch work over a big shop: 1,000,000 members with 10,000,000 ledger entries,
// generated straight into SQLite (better-sqlite3, one transaction per 50,000 rows). Measures the
// whole-shop tier pass (the tier preview, which computes every member's tier with the real
// timeline) and the tier re-evaluation that writes (on a 10,000-member slice, extrapolated), with
// seconds and peak memory. Target: <= 20 s for the whole batch.
//   npx tsx bench/batch.ts [--members 1000000] [--entries-per-member 10] [--slice 10000]
import Database from "better-sqlite3";
import os from "node:os";
import path from "node:path";
import { fmt, migratedDatabase, type Row } from "./lib";

const SHOP = "bench-batch.myshopify.com";
const DAY = 86_400_000;

function peakMemory() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return { stop: () => (clearInterval(timer), Math.max(peak, process.memoryUsage().rss)) };
}

/** Members with `perMember` qualifying credits each (no orders), spread over the last two years. */
function generate(file: string, shopId: string, members: number, perMember: number, prefix: string) {
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = OFF");
  const now = Date.now();
  const member = sqlite.prepare(
    `INSERT INTO "Member" (id, shopId, platformCustomerId, email, balance, lifetimePoints, enrolledAt, createdAt, updatedAt, acceptsMarketing) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
  );
  const entry = sqlite.prepare(
    `INSERT INTO "LedgerEntry" (id, shopId, memberId, kind, points, qualifying, reason, sourceType, idempotencyKey, occurredAt, createdAt, expiresAt, remaining) VALUES (?, ?, ?, 'ADJUSTMENT', ?, 1, 'bench', 'bench', ?, ?, ?, ?, ?)`,
  );
  const chunk = Math.max(1, Math.floor(50_000 / (perMember + 1)));
  const insert = sqlite.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const id = `${prefix}${i}`;
      const points = Array.from({ length: perMember }, (_, e) => 10 + ((i * 31 + e * 17) % 90));
      const total = points.reduce((a, b) => a + b, 0);
      member.run(id, shopId, String(10_000_000 + i), `${id}@example.com`, total, total, now, now, now);
      points.forEach((p, e) => {
        const at = now - ((i + e * 37) % 730) * DAY;
        entry.run(`${id}e${e}`, shopId, id, p, `${id}:${e}`, at, at, at + 365 * DAY, p);
      });
    }
  });
  for (let from = 0; from < members; from += chunk) insert(from, Math.min(members, from + chunk));
  sqlite.close();
}

export async function benchBatch(options: { members: number; perMember: number; slice: number }): Promise<{ rows: Row[]; details: Record<string, unknown> }> {
  const file = path.join(os.tmpdir(), `tierwise-bench-batch-${process.pid}.sqlite`);
  const url = migratedDatabase(file);
  process.env.DATABASE_URL = url;
  const { createDatabaseClient } = await import("../app/db.server");
  const { installShop } = await import("../app/loyalty/program.server");
  const { currentTierRules, loadShopContext } = await import("../app/loyalty/shop-context.server");
  const { previewTierDistribution, reevaluateMembers } = await import("../app/loyalty/tier-evaluation.server");
  const db = createDatabaseClient(url);
  const shop = await installShop(db, SHOP, { currency: "USD", timezone: "UTC" });
  const slice = await installShop(db, `slice-${SHOP}`, { currency: "USD", timezone: "UTC" });
  await db.$disconnect();

  let started = performance.now();
  generate(file, shop.id, options.members, options.perMember, "m");
  generate(file, slice.id, options.slice, options.perMember, "s");
  const generatedSeconds = (performance.now() - started) / 1000;

  const client = createDatabaseClient(url);
  const ctx = (await loadShopContext(client, SHOP))!;
  const rules = currentTierRules(ctx);
  let memory = peakMemory();
  started = performance.now();
  const distribution = await previewTierDistribution(client, shop.id, rules);
  const previewSeconds = (performance.now() - started) / 1000;
  const previewPeak = memory.stop();

  memory = peakMemory();
  started = performance.now();
  const moved = await reevaluateMembers(client, `slice-${SHOP}`);
  const sliceSeconds = (performance.now() - started) / 1000;
  const reevaluatePeak = memory.stop();
  await client.$disconnect();
  const extrapolated = (sliceSeconds / options.slice) * options.members;
  const mib = (bytes: number) => `${fmt(bytes / 2 ** 20)} MiB`;
  return {
    rows: [
      { benchmark: `4. batch: generate ${fmt(options.members)} members + ${fmt(options.members * options.perMember)} entries`, figure: `${fmt(generatedSeconds, 1)} s`, target: "-", met: "-" },
      { benchmark: `4. batch: tiers of every member computed (read pass)`, figure: `${fmt(previewSeconds, 1)} s, peak ${mib(previewPeak)}`, target: "<= 20 s", met: previewSeconds <= 20 ? "yes" : "no" },
      { benchmark: `4. batch: tier re-evaluation with writes (${fmt(options.slice)}-member slice)`, figure: `${fmt(sliceSeconds, 1)} s (${fmt(extrapolated / 60, 0)} min for ${fmt(options.members)}), peak ${mib(reevaluatePeak)}`, target: "<= 20 s", met: extrapolated <= 20 ? "yes" : "no" },
    ],
    details: { distribution, moved },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const result = await benchBatch({ members: arg("members", 1_000_000), perMember: arg("entries-per-member", 10), slice: arg("slice", 10_000) });
  const { printTable } = await import("./lib");
  printTable(result.rows);
  console.log(JSON.stringify(result.details));
  process.exit(0);
}
