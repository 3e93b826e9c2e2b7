// `npm run bench`: runs the benchmarks one after another and prints one table. Not part of the
// test pass/fail: figures depend on the machine. `--record` appends the table to bench/RESULTS.md
// with the date, machine and command; `--only ingest,redemptions` picks some; `--quick` runs
// smaller sizes (for a smoke run, not for figures).
import { appendFileSync } from "node:fs";
import path from "node:path";
import { machine, printTable, root, type Row } from "./lib";

type Bench = (quick: boolean) => Promise<{ rows: Row[]; details: Record<string, unknown> }>;

const benches: Record<string, Bench> = {
  ingest: async (quick) => (await import("./ingest")).benchIngest({ orders: quick ? 1_000 : 20_000, customers: quick ? 100 : 1_000, concurrency: 32 }),
  "proxy-status": async (quick) => (await import("./proxy-status")).benchProxyStatus({ members: quick ? 50 : 300, requests: quick ? 2_000 : 10_000 }),
  widget: async () => {
    const { readFileSync } = await import("node:fs");
    const { gzipSync } = await import("node:zlib");
    const size = (name: string) => {
      const bytes = readFileSync(path.join(root, "extensions/tierwise-theme/assets", name));
      return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    };
    const js = size("tierwise-widget.js");
    const css = size("tierwise-widget.css");
    const gzip = js.gzip + css.gzip;
    return {
      rows: [{ benchmark: "5. widget JS + CSS (bench/widget-size.mjs)", figure: `JS ${js.raw} B raw / ${js.gzip} B gz; CSS ${css.raw} / ${css.gzip}; total ${gzip} B gz`, target: "<= 6 KB gzipped", met: gzip <= 6000 ? "yes" : "no" }],
      details: { js, css },
    };
  },
  batch: async (quick) => (await import("./batch")).benchBatch({ members: quick ? 20_000 : 1_000_000, perMember: 10, slice: quick ? 1_000 : 10_000 }),
  lighthouse: async (quick) => (await import("./lighthouse")).benchLighthouse({ runs: quick ? 1 : 3 }),
  redemptions: async (quick) => (await import("./redemptions")).benchRedemptions({ customers: quick ? 20 : 200, perCustomer: 5, concurrency: 32 }),
};

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const onlyIndex = args.indexOf("--only");
const names = onlyIndex >= 0 ? args[onlyIndex + 1].split(",") : Object.keys(benches);
for (const name of names) if (!benches[name]) throw new Error(`unknown benchmark ${name}; known: ${Object.keys(benches).join(", ")}`);

const rows: Row[] = [];
for (const name of names) {
  console.error(`running ${name} ...`);
  const result = await benches[name](quick);
  rows.push(...result.rows);
  console.error(`${name}: ${JSON.stringify(result.details)}`);
}
console.log(`\n${new Date().toISOString().slice(0, 10)} on ${machine()}; command: npm run bench -- ${args.join(" ")}\n`);
printTable(rows);

if (args.includes("--record")) {
  const lines: string[] = [];
  const log = console.log;
  console.log = (line: string) => lines.push(line);
  printTable(rows);
  console.log = log;
  // The command as run, --record included (with nothing else it names every benchmark).
  appendFileSync(path.join(root, "bench/RESULTS.md"), `\n## ${new Date().toISOString().slice(0, 10)}: \`npm run bench -- ${args.join(" ")}\`\n\nMachine: ${machine()}.\n\n${lines.join("\n")}\n`);
}
process.exit(0);
