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
  appendFileSync(path.join(root, "bench/RESULTS.md"), `\n## ${new Date().toISOString().slice(0, 10)}: \`npm run bench -- ${args.filter((a) => a !== "--record").join(" ")}\`\n\nMachine: ${machine()}.\n\n${lines.join("\n")}\n`);
}
process.exit(0);
