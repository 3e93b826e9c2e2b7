#!/usr/bin/env node
// `npm run demo`: Tierwise with a year of a demo shop's history, replayed through the real signed
// webhook routes of the production server. No Shopify needed: the shop is installed directly in the
// demo database (prisma/demo.sqlite) and the webhooks are signed with a demo-only secret.
//
//   node scripts/demo.mjs [--reset] [--port 3000] [--no-serve] [--seed 2026] [--replay]
//   node scripts/demo.mjs order <customerId> <amount> [--port 3000]
import { spawn } from "node:child_process";
import { rmSync, existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { installDemoShop, memberByCustomerId, memberCount, programStats } from "./demo/db.mjs";
import { buildHistory, CUSTOMER_ID_BASE, DEMO_SHOP } from "./demo/history.mjs";
import { SHOP_CURRENCY, SHOP_TIMEZONE } from "./demo/payloads.mjs";
import { ensureBuild, migrate, startServer } from "./demo/server.mjs";
import { inboxDrained, replay } from "./demo/webhooks.mjs";
import { DEMO_ACCESS_TOKEN, registerCustomers, startEmulator } from "./demo/shopify-emulator.mjs";
import { redeemCommand } from "./demo/redeem.mjs";
import { placeDemoOrder } from "./demo/order.mjs";

const root = path.resolve(import.meta.dirname, "..");
const API_KEY = "tierwise-demo-key";
const API_SECRET = "tierwise-demo-secret"; // demo only: never a real app's secret
const SCOPES = "read_orders,read_customers,write_customers,write_discounts";
const target = { shop: DEMO_SHOP, secret: API_SECRET };
let running = null; // the child server, once started: stopped on every way out

const USAGE = `Usage:
  node scripts/demo.mjs [--reset] [--port N] [--database FILE] [--no-serve] [--seed N] [--replay] [--concurrency N]
  node scripts/demo.mjs order <customerId> <amount> [--port N] [--database FILE]
  node scripts/demo.mjs redeem <customerId> [5off|10pct|shipping|any:<points>] [--port N] [--database FILE]

  --reset         start from an empty demo database (prisma/demo.sqlite and its webhook inbox)
  --port N        port of the demo server (default 3000); the emulated Shopify and the demo
                  storefront take the next two
  --database FILE the demo's SQLite file, ending in .sqlite (default prisma/demo.sqlite)
  --no-serve      replay and print the summary, then stop
  --seed N        seed of the generated history (default 2026)
  --replay        send the history again even if the shop has members (the app drops duplicates)
  order           send one signed orders/paid webhook for a demo customer to a running demo server;
                  customerId is a Shopify id from the summary or a demo customer number (1-200)`;

const OPTIONS = {
  reset: { type: "boolean", default: false },
  port: { type: "string", default: "3000" },
  database: { type: "string" },
  "no-serve": { type: "boolean", default: false },
  seed: { type: "string", default: "2026" },
  replay: { type: "boolean", default: false },
  concurrency: { type: "string", default: "8" },
  help: { type: "boolean", short: "h", default: false },
};
const args = (() => {
  try {
    return parseArgs({ allowPositionals: true, options: OPTIONS });
  } catch (error) {
    console.error(`demo: ${error.message}\n\n${USAGE}`);
    process.exit(1);
  }
})();
const { values: opts, positionals } = args;
const port = Number(opts.port);
const DB_FILE = opts.database === undefined ? path.join(root, "prisma/demo.sqlite") : path.resolve(opts.database);
const DATABASE_URL = `file:${DB_FILE}`;
let stopEmulator;
let stopStorefront;
const seed = Number(opts.seed);
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!Number.isInteger(port) || port < 1 || port > 65533 || !Number.isInteger(seed)) fail(`bad --port or --seed\n\n${USAGE}`);
// Its webhook inbox is the file beside it with ".inbox" before the extension (inbox.server.ts).
if (!DB_FILE.endsWith(".sqlite")) fail(`--database names a .sqlite file, not ${opts.database}\n\n${USAGE}`);

const n = (value) => Number(value).toLocaleString("en-US");
const usd = (cents) => `$${(cents / 100).toFixed(2)}`;
const pad = (text, width) => String(text).padEnd(width);

function fail(message) {
  console.error(`demo: ${message}`);
  process.exit(1);
}

function printSummary(url) {
  const s = programStats(DB_FILE, DEMO_SHOP);
  if (!s) return console.log("The demo shop is not installed.");
  const base = (url) => url.replace(/\/$/, "");
  console.log(`
Tierwise demo
  Server            ${url}
  Webhooks          ${base(url)}/webhooks/<topic>   (e.g. /webhooks/orders/paid)
  Shop              ${DEMO_SHOP} (${s.shop.currency}, ${s.shop.timezone})
  Webhook secret    ${API_SECRET}   <- demo-only secret (SHOPIFY_API_SECRET), HMAC-SHA256 signing
  Database          ${path.relative(root, DB_FILE)}

Program
  Members           ${n(s.members.n)}
  Points out        ${n(s.members.outstanding)} (lifetime earned ${n(s.members.lifetime)})
  Orders            ${n(s.orders.n)} (${n(s.orders.refunded ?? 0)} with refunds, ${n(s.orders.cancelled ?? 0)} of them cancelled); ${n(s.orders.earned)} points earned, ${n(s.orders.reversed)} reversed
  Ledger            ${n(s.ledger)} entries, ${n(s.tierChanges)} tier changes, ${n(s.deliveries)} webhook deliveries recorded
  Ledger check      ${s.mismatched === 0 ? "ok: every cached balance matches the ledger" : `${s.mismatched} member(s) whose cached numbers differ from the ledger!`}

Members per tier`);
  for (const t of s.tiers) {
    console.log(`  ${pad(t.name, 8)} ${pad(`from ${n(t.threshold)} pts, x${(t.multiplierPercent / 100).toFixed(2)}`, 24)} ${n(t.members)}`);
  }
  console.log("\nTop 5 members by balance");
  console.log(`  ${pad("customer id", 15)} ${pad("name", 26)} ${pad("tier", 7)} ${pad("orders", 7)} ${pad("balance", 8)} lifetime`);
  for (const m of s.top) {
    const name = `${m.firstName ?? ""} ${m.lastName ?? ""}`.trim() || m.email || "(no name)";
    console.log(`  ${pad(m.platformCustomerId, 15)} ${pad(name, 26)} ${pad(m.tier ?? "-", 7)} ${pad(m.orders, 7)} ${pad(n(m.balance), 8)} ${n(m.lifetimePoints)}`);
  }
  const example = s.top[s.top.length - 1]?.platformCustomerId ?? CUSTOMER_ID_BASE + 1;
  console.log(`
Watch points and tiers move (another terminal, while this server runs):
  node scripts/demo.mjs order ${example} 120${port === 3000 ? "" : ` --port ${port}`}
`);
}

async function serveDemo() {
  ensureBuild(root);
  if (opts.reset) {
    // The webhook inbox next to it too: it remembers deliveries it has seen, and would answer the
    // replay's (seeded, so identical) deliveries as duplicates of the old database's.
    const inboxFile = DB_FILE.replace(/\.sqlite$/, ".inbox.sqlite");
    for (const file of [DB_FILE, inboxFile]) {
      for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${file}${suffix}`, { force: true });
    }
  }
  const fresh = !existsSync(DB_FILE);
  console.log(`Database ${path.relative(root, DB_FILE)} (${fresh ? "new" : "reused"}): migrations ${migrate(root, DATABASE_URL)}`);
  const install = installDemoShop(DB_FILE, DEMO_SHOP, { currency: SHOP_CURRENCY, timezone: SHOP_TIMEZONE, accessToken: DEMO_ACCESS_TOKEN });
  console.log(install.created ? `Installed ${DEMO_SHOP} with the default program (Bronze, Silver, Gold).` : `${DEMO_SHOP} is installed.`);

  // The demo store's Shopify Admin API: discounts, tags and metafields land in the emulator.
  const emulator = startEmulator(root, { port: port + 1, shop: DEMO_SHOP, currency: SHOP_CURRENCY, timezone: SHOP_TIMEZONE });
  stopEmulator = emulator.stop;
  const emulatorUrl = await emulator.url;
  const server = await startServer(root, {
    SHOPIFY_ADMIN_EMULATOR_URL: emulatorUrl,
    // The local demo admin runs only outside production (app/admin/demo-mode.server.ts).
    NODE_ENV: "development",
    TIERWISE_DEMO_ADMIN: "1",
    TIERWISE_DEMO_SHOP: DEMO_SHOP,
    HOST: "127.0.0.1",
    PORT: String(port),
    DATABASE_URL,
    SHOPIFY_API_KEY: API_KEY,
    SHOPIFY_API_SECRET: API_SECRET,
    SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
    SCOPES,
  }, { nodeArgs: ["--import", path.join(root, "tests/emulators/shopify-admin/redirect-preload.mjs")] });
  running = server;
  let stopping = false;
  const shutdown = async (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the demo server...`);
    await stopStorefront?.();
    const { code, signal: killed } = await server.stop();
    await emulator.stop();
    console.log(`Server stopped (${killed ?? `exit ${code}`}).`);
    process.exit(0);
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  server.exited.then(({ code, signal }) => {
    if (stopping) return;
    console.error(`demo: the server exited unexpectedly (${signal ?? `code ${code}`})`);
    process.exit(1);
  });

  const members = memberCount(DB_FILE, DEMO_SHOP);
  if (members === 0 || opts.replay) {
    const history = buildHistory({ seed });
    const topics = history.deliveries.reduce((acc, d) => ((acc[d.topic] = (acc[d.topic] ?? 0) + 1), acc), {});
    console.log(`\nReplaying a year of ${DEMO_SHOP} (seed ${seed}): ${history.customers.length} customers, ${history.orders} orders, ` +
      `${(topics["refunds/create"] ?? 0) - (topics["orders/cancelled"] ?? 0)} refunds, ${topics["orders/cancelled"] ?? 0} cancellations (refunded in full) -> ${history.deliveries.length} signed webhooks`);
    const result = await replay(server.url, target, history.deliveries, { concurrency: Number(opts.concurrency) || 8, label: "  webhooks", shouldStop: () => stopping });
    await inboxDrained(DB_FILE);
    const { counts } = result;
    console.log(`Replay: ${n(result.sent)} webhooks in ${result.seconds.toFixed(1)} s = ${result.perSecond.toFixed(0)} deliveries/s ` +
      `(concurrency ${Number(opts.concurrency) || 8}); ${counts.processed} applied at once, ${counts.queued} queued and applied after, ${counts.duplicate} duplicates, ${counts.rejected} rejected, ${counts.failed} failed`);
    for (const problem of result.problems) console.error(`  ! ${problem}`);
    if (counts.rejected + counts.failed > 0) process.exitCode = 1;
  } else {
    console.log(`\nThe demo shop already has ${n(members)} members: skipping the replay (--reset starts over, --replay sends it again).`);
  }

  const mirrored = await registerCustomers(emulatorUrl, DB_FILE, DEMO_SHOP);
  printSummary(server.url);
  console.log(`Shopify Admin API emulator at ${emulatorUrl} (${mirrored} customers); its state: ${emulatorUrl}/__emulator/state`);
  console.log(`Redeem points for a code (another terminal):\n  node scripts/demo.mjs redeem ${CUSTOMER_ID_BASE + 16} 5off${port === 3000 ? "" : ` --port ${port}`}\n`);
  if (opts["no-serve"]) {
    stopping = true;
    await server.stop();
    await emulator.stop();
    console.log("Server stopped (--no-serve).");
    process.exit(process.exitCode ?? 0);
  }
  const storefront = await startDemoStorefront(server.url, port + 2, String(CUSTOMER_ID_BASE + 16));
  stopStorefront = storefront.stop;
  console.log(`Demo storefront (the theme extension live, signed in as customer ${CUSTOMER_ID_BASE + 16}; "place an order" at the bottom):
  ${storefront.url}/        ${storefront.url}/pl/        ${storefront.url}/cs/
  another shopper: ${storefront.url}/account/login?customer=<id>   signed out: ${storefront.url}/account/logout`);
  console.log(`Admin (local demo, no Shopify): ${server.url}/app   (Polish: ${server.url}/app?locale=pl, Czech: ?locale=cs)`);
  console.log(`Demo server running at ${server.url}. Ctrl-C to stop.`);
}

/** The demo storefront (scripts/demo/storefront.ts) as a child process; resolves with its URL. */
function startDemoStorefront(appUrl, storefrontPort, customerId) {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts/demo/storefront.ts"), appUrl, String(storefrontPort), customerId, DB_FILE, DEMO_SHOP, API_SECRET], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const stop = () => new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once("exit", resolve), child.kill("SIGTERM"))));
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const match = /listening on (\S+)/.exec(out);
      if (match) resolve({ url: match[1], stop });
    });
    child.once("exit", (code) => reject(new Error(`the demo storefront exited (${code}): ${out}`)));
  });
}

async function orderCommand([customerArg, amountArg]) {
  if (!customerArg || !amountArg) fail(`order needs <customerId> <amount>\n\n${USAGE}`);
  if (!existsSync(DB_FILE)) fail("no demo database yet: run `npm run demo` first");
  const wanted = /^\d{1,3}$/.test(customerArg) ? CUSTOMER_ID_BASE + Number(customerArg) : customerArg;
  if (!/^\d+(\.\d{1,2})?$/.test(amountArg) || Number(amountArg) <= 0) fail(`amount "${amountArg}" is not a positive amount like 120 or 49.90`);
  const cents = Math.round(Number(amountArg) * 100);
  const before = memberByCustomerId(DB_FILE, DEMO_SHOP, wanted);
  if (!before) fail(`no demo member with customer id ${wanted}`);
  const url = `http://127.0.0.1:${port}`;
  try {
    await fetch(`${url}/healthz`);
  } catch {
    fail(`no demo server on ${url}: start it with \`npm run demo${port === 3000 ? "" : ` -- --port ${port}`}\``);
  }
  const { payload, after } = await placeDemoOrder({ dbFile: DB_FILE, shop: DEMO_SHOP, secret: API_SECRET, appUrl: url, customerId: wanted, cents });
  const name = `${after.firstName ?? ""} ${after.lastName ?? ""}`.trim();
  const delta = after.balance - before.balance;
  console.log(`Order ${payload.name} for ${name} (${wanted}): ${usd(cents)} of goods, $${payload.total_price} charged with tax and shipping`);
  console.log(`  points   ${n(before.balance)} -> ${n(after.balance)} (${delta >= 0 ? "+" : ""}${n(delta)}; ${before.tier ?? "no tier"} multiplier x${((before.multiplierPercent ?? 100) / 100).toFixed(2)})`);
  console.log(`  lifetime ${n(before.lifetimePoints)} -> ${n(after.lifetimePoints)}`);
  console.log(`  tier     ${before.tier ?? "-"} -> ${after.tier ?? "-"}${before.tier !== after.tier ? "  (tier changed!)" : ""}`);
}

try {
  if (positionals[0] === "order") await orderCommand(positionals.slice(1));
  else if (positionals[0] === "redeem") await redeemCommand({ root, dbFile: DB_FILE, shop: DEMO_SHOP, secret: API_SECRET, port, base: CUSTOMER_ID_BASE }, positionals.slice(1));
  else if (positionals.length) fail(`unknown command "${positionals[0]}"\n\n${USAGE}`);
  else await serveDemo();
} catch (error) {
  await stopStorefront?.();
  await running?.stop();
  await stopEmulator?.();
  fail(process.env.DEBUG ? (error?.stack ?? String(error)) : (error?.message ?? String(error)));
}
