// Benchmark 6: Lighthouse performance score of the demo storefront page with and without the
// widget (block + launcher embed), in Debian's Chromium, offline. Each page is measured `runs`
// times and the median taken, since single Lighthouse scores wobble by a point or two.
//   npx tsx bench/lighthouse.ts [--runs 3]
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import os from "node:os";
import path from "node:path";
import { startStorefront } from "../scripts/storefront/server";
import { startApp, TEST_API_SECRET } from "../tests/support/app-server";
import { customer, line, order } from "../tests/support/facts";
import { ensureBuild, fmt, migratedDatabase, removeDatabase, type Row } from "./lib";

const SHOP = "bench-lighthouse.myshopify.com";
const CHROME_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function benchLighthouse(options: { runs: number }): Promise<{ rows: Row[]; details: Record<string, unknown> }> {
  ensureBuild();
  const url = migratedDatabase(path.join(os.tmpdir(), `tierwise-bench-lh-${process.pid}.sqlite`));
  process.env.DATABASE_URL = url;
  const { createDatabaseClient } = await import("../app/db.server");
  const { installShop } = await import("../app/loyalty/program.server");
  const { processEvent } = await import("../app/loyalty/events.server");
  const db = createDatabaseClient(url);
  await installShop(db, SHOP, { currency: "USD", timezone: "UTC" });
  await processEvent(db, { shopDomain: SHOP, dedupeKey: "lh-1", topic: "bench" }, { type: "order", order: order("lh-1", customer("4242"), [line("l", 78_000)]) });
  await db.$disconnect();

  const app = await startApp(url);
  const common = { appUrl: app.url, shop: SHOP, secret: TEST_API_SECRET, customer: { id: "4242", firstName: "Ada" } };
  const withWidget = await startStorefront(common);
  const without = await startStorefront({ ...common, block: null, embed: null });
  const chrome = await chromeLauncher.launch({ chromePath: process.env.CHROME_PATH ?? "/usr/bin/chromium", chromeFlags: CHROME_FLAGS });
  const scores: Record<"with" | "without", number[]> = { with: [], without: [] };
  const lcp: Record<"with" | "without", number[]> = { with: [], without: [] };
  try {
    for (let run = 0; run < options.runs; run++) {
      for (const [name, storefront] of [["without", without], ["with", withWidget]] as const) {
        const result = await lighthouse(`${storefront.url}/`, { port: chrome.port, onlyCategories: ["performance"], output: "json", logLevel: "error" });
        if (!result || result.lhr.runtimeError) throw new Error(`lighthouse failed: ${JSON.stringify(result?.lhr.runtimeError)}`);
        scores[name].push(Math.round((result.lhr.categories.performance.score ?? 0) * 100));
        lcp[name].push(Number(result.lhr.audits["largest-contentful-paint"]?.numericValue ?? NaN));
      }
    }
  } finally {
    await chrome.kill();
    await withWidget.stop();
    await without.stop();
    await app.stop();
    removeDatabase(url);
  }
  const delta = median(scores.without) - median(scores.with);
  return {
    rows: [
      {
        benchmark: `6. Lighthouse performance, storefront page (median of ${options.runs})`,
        figure: `without ${median(scores.without)}, with widget ${median(scores.with)} (LCP ${fmt(median(lcp.without))} / ${fmt(median(lcp.with))} ms)`,
        target: "delta <= 1 point",
        met: delta <= 1 ? "yes" : "no",
      },
    ],
    details: { scores, lcp },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf("--runs");
  const result = await benchLighthouse({ runs: i > 0 ? Number(process.argv[i + 1]) : 3 });
  const { printTable } = await import("./lib");
  printTable(result.rows);
  console.log(JSON.stringify(result.details));
  process.exit(0);
}
