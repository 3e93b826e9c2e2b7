// The demo store's Shopify: the Admin API emulator (tests/emulators/shopify-admin) as its own
// process, holding the demo customers, so redemptions in the demo create real (emulated) discounts.
import { spawn } from "node:child_process";
import Database from "better-sqlite3";

export const DEMO_ACCESS_TOKEN = "shpat_tierwise_demo_token";

export function startEmulator(root, { port, shop, currency, timezone }) {
  // Node itself with tsx's loader, not `npx tsx`: npx does not pass a SIGTERM on to what it runs,
  // so stopping the demo any other way than Ctrl-C in its terminal (which signals the whole
  // process group) left the emulator running and holding its port.
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "tests/emulators/shopify-admin/main.ts", "--port", String(port), "--shop", shop, "--token", DEMO_ACCESS_TOKEN, "--currency", currency, "--timezone", timezone],
    { cwd: root, stdio: ["ignore", "pipe", "pipe"], detached: false },
  );
  let log = "";
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const url = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the Shopify emulator did not start:\n${log}`)), 60_000);
    child.stdout.on("data", (chunk) => {
      log += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr.on("data", (chunk) => (log += chunk));
    exited.then(({ code }) => reject(new Error(`the Shopify emulator exited (${code}):\n${log}`)));
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    await exited;
  };
  return { url, stop };
}

/** Mirrors the demo members into the emulator (it keeps its state in memory only). */
export async function registerCustomers(emulatorUrl, databaseFile, shop) {
  const db = new Database(databaseFile, { readonly: true, fileMustExist: true });
  let members;
  try {
    members = db
      .prepare(`SELECT m.platformCustomerId AS id, m.firstName, m.lastName, m.email FROM "Member" m JOIN "Shop" s ON s.id = m.shopId WHERE s.domain = ?`)
      .all(shop);
  } finally {
    db.close();
  }
  for (const m of members) {
    const response = await fetch(`${emulatorUrl}/__emulator/customers`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Forwarded-Host": shop },
      body: JSON.stringify({ id: m.id, firstName: m.firstName ?? undefined, lastName: m.lastName ?? undefined, email: m.email ?? undefined }),
    });
    if (!response.ok) throw new Error(`emulator refused customer ${m.id}: ${response.status}`);
  }
  return members.length;
}
