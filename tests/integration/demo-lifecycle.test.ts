import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { testTempDir } from "../support/temp";

/**
 * The README's first command, `npm run demo`, as a process: it starts the app, the emulated
 * Shopify and the demo storefront, and a SIGTERM (not only Ctrl-C in its terminal, which signals
 * every process of the group) stops all three. Run on its own database and ports.
 */

const root = path.resolve(import.meta.dirname, "../..");

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/**
 * A port whose next two are free as well (the demo takes port, port + 1 and port + 2), below
 * Linux's ephemeral range (32768 and up), so that no other test's listen(0) or outgoing
 * connection takes one of them between this check and the demo's start.
 */
async function threeFreePorts(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 12_000);
    if ((await portIsFree(base)) && (await portIsFree(base + 1)) && (await portIsFree(base + 2))) return base;
  }
  throw new Error("no three free ports in a row");
}

function demo(args: string[]): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ["scripts/demo.mjs", ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function until(what: string, check: () => boolean, timeoutMs: number, output: () => string) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the demo said:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("the demo (npm run demo)", () => {
  it("serves the admin, the emulated Shopify and the storefront, and a SIGTERM stops all three; a second start reuses the data", async () => {
    const database = path.join(testTempDir("demo-"), "demo.sqlite");
    const port = await threeFreePorts();
    const first = demo(["--reset", "--port", String(port), "--database", database]);
    try {
      await until("the demo to be ready", () => first.output().includes("Ctrl-C to stop"), 150_000, first.output);
      expect(first.output()).toContain("Ledger check      ok: every cached balance matches the ledger");
      expect(first.output()).toMatch(/Replay: 1,285 webhooks in [\d.]+ s = \d+ deliveries\/s \(concurrency 8\); \d+ applied at once, \d+ queued and applied after, 0 duplicates, 0 rejected, 0 failed/);

      const admin = await fetch(`http://127.0.0.1:${port}/app/members`);
      expect(admin.status).toBe(200);
      expect(await admin.text()).toContain("Emma Wilson");
      const storefront = await fetch(`http://127.0.0.1:${port + 2}/pl/`);
      expect(storefront.status).toBe(200);
      const state = await fetch(`http://127.0.0.1:${port + 1}/__emulator/state`, { headers: { "X-Forwarded-Host": "tierwise-demo.myshopify.com" } });
      expect(state.status).toBe(200);

      first.child.kill("SIGTERM");
      expect(await first.exited).toBe(0);
      expect(first.output()).toContain("SIGTERM: stopping the demo server...");
      // Nothing of it is left listening: the ports are free again.
      for (const taken of [port, port + 1, port + 2]) expect(await portIsFree(taken)).toBe(true);
    } finally {
      first.child.kill("SIGKILL");
    }

    const second = demo(["--port", String(port), "--database", database, "--no-serve"]);
    try {
      expect(await second.exited).toBe(0);
      expect(second.output()).toContain("(reused)");
      expect(second.output()).toContain("The demo shop already has 200 members: skipping the replay");
      expect(second.output()).toContain("Server stopped (--no-serve).");
      for (const taken of [port, port + 1, port + 2]) expect(await portIsFree(taken)).toBe(true);
    } finally {
      second.child.kill("SIGKILL");
    }
  }, 240_000);
});
