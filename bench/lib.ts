import { execSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "..");

/** The production build the benchmarks run against; built when missing or older than app/. */
export function ensureBuild(): void {
  const built = path.join(root, "build/server/index.js");
  if (existsSync(built) && statSync(built).mtimeMs > newestMtime(path.join(root, "app"))) return;
  console.error("building the app (npx remix vite:build) ...");
  execSync("npx remix vite:build", { cwd: root, stdio: "ignore" });
}

function newestMtime(dir: string): number {
  const out = execSync(`find ${JSON.stringify(dir)} -type f -printf '%T@\\n' | sort -n | tail -1`).toString().trim();
  return Number(out) * 1000;
}

/** A migrated SQLite file of the bench's own, through the project's migrate script. */
export function migratedDatabase(file: string): string {
  for (const suffix of ["", "-wal", "-shm"]) execSync(`rm -f ${JSON.stringify(file + suffix)}`);
  execSync("node scripts/prisma.mjs migrate deploy", { cwd: root, stdio: "ignore", env: { ...process.env, DATABASE_URL: `file:${file}` } });
  return `file:${file}`;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface LoadResult {
  requests: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  statuses: Record<number, number>;
  errors: string[];
  /** The first few non-2xx answers, to tell refusals apart. */
  samples: string[];
}

export interface LoadRequest {
  method: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * Sends the requests over keep-alive HTTP/1.1 connections, `concurrency` at a time, and times each.
 * Plain node:http rather than fetch, so the client costs the shared cores as little as it can.
 */
export async function runLoad(
  baseUrl: string,
  requests: LoadRequest[] | { count: number; make: (index: number) => LoadRequest },
  concurrency: number,
  options: { ratePerSecond?: number } = {},
): Promise<LoadResult> {
  // A generator makes each request when it is sent (signatures with a timestamp stay fresh).
  const count = Array.isArray(requests) ? requests.length : requests.count;
  const requestAt = Array.isArray(requests) ? (i: number) => requests[i] : requests.make;
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  const errors: string[] = [];
  const samples: string[] = [];
  let next = 0;
  const started = performance.now();
  const interval = options.ratePerSecond ? 1000 / options.ratePerSecond : 0;
  const one = (r: LoadRequest) =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = http.request(
        { host: url.hostname, port: url.port, path: r.path, method: r.method, agent, headers: { ...(r.body ? { "Content-Length": Buffer.byteLength(r.body) } : {}), ...r.headers } },
        (res) => {
          let text = "";
          res.on("data", (chunk: Buffer) => {
            if ((res.statusCode ?? 0) >= 300 && text.length < 500) text += chunk.toString();
          });
          res.on("end", () => {
            if (text && samples.length < 5) samples.push(`${res.statusCode} ${text.slice(0, 200)}`);
            latencies.push(performance.now() - t0);
            statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
            resolve();
          });
        },
      );
      req.on("error", (error: NodeJS.ErrnoException) => {
        // A refused or reset connection counts as a failed request (status 0), not a crash.
        statuses[0] = (statuses[0] ?? 0) + 1;
        errors.push(error.code ?? error.message);
        resolve();
      });
      if (r.body) req.write(r.body);
      req.end();
    });
  const worker = async () => {
    while (next < count) {
      const index = next++;
      if (interval) {
        const due = started + index * interval;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      await one(requestAt(index));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { requests: count, seconds, perSecond: count / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), statuses, errors: [...new Set(errors)], samples };
}

export function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

export interface Row {
  benchmark: string;
  figure: string;
  target: string;
  met: string;
}

export function printTable(rows: Row[]): void {
  const header: Row = { benchmark: "benchmark", figure: "figure", target: "target", met: "met" };
  const all = [header, ...rows];
  const width = (key: keyof Row) => Math.max(...all.map((r) => r[key].length));
  const line = (r: Row) => `| ${r.benchmark.padEnd(width("benchmark"))} | ${r.figure.padEnd(width("figure"))} | ${r.target.padEnd(width("target"))} | ${r.met.padEnd(width("met"))} |`;
  console.log(line(header));
  console.log(`|${"-".repeat(width("benchmark") + 2)}|${"-".repeat(width("figure") + 2)}|${"-".repeat(width("target") + 2)}|${"-".repeat(width("met") + 2)}|`);
  for (const r of rows) console.log(line(r));
}

export const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
