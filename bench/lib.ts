import { execSync } from "node:child_process";
import { existsSync, rmSync, statSync } from "node:fs";
import net from "node:net";
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

/** Removes a bench database made by migratedDatabase, with its WAL and webhook inbox. */
export function removeDatabase(url: string): void {
  if (process.env.TIERWISE_BENCH_KEEP) return;
  const file = url.replace(/^file:/, "");
  for (const base of [file, file.replace(/\.sqlite$/, ".inbox.sqlite")]) {
    for (const suffix of ["", "-wal", "-shm"]) rmSync(base + suffix, { force: true });
  }
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
 * Sends the requests over keep-alive HTTP/1.1 connections, `concurrency` at a time (one request in
 * flight per connection, no pipelining), and times each from its first byte sent to its last byte
 * received. A minimal client on node:net with each request written as one buffer, as load
 * generators like wrk do: node:http's client cost ~235 µs of CPU a request, as much as the server
 * it measures on the same two cores; this one costs a fraction of that (see bench/ingest.ts, which
 * prints both sides' CPU per request).
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
  const host = `${url.hostname}:${url.port}`;
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  const errors: string[] = [];
  const samples: string[] = [];
  let next = 0;
  const started = performance.now();
  const interval = options.ratePerSecond ? 1000 / options.ratePerSecond : 0;
  const encode = (r: LoadRequest) => {
    let head = `${r.method} ${r.path} HTTP/1.1\r\nHost: ${host}\r\n`;
    for (const [name, value] of Object.entries(r.headers ?? {})) head += `${name}: ${value}\r\n`;
    if (r.body !== undefined) head += `Content-Length: ${Buffer.byteLength(r.body)}\r\n`;
    return Buffer.from(`${head}\r\n${r.body ?? ""}`);
  };
  const worker = async () => {
    let connection: HttpConnection | null = null;
    while (next < count) {
      const index = next++;
      if (interval) {
        const due = started + index * interval;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      connection ??= new HttpConnection(url.hostname, Number(url.port));
      const t0 = performance.now();
      const answer = await connection.send(encode(requestAt(index)));
      if (answer.status === 0) {
        // A refused or reset connection counts as a failed request (status 0), not a crash.
        errors.push(answer.error ?? "connection lost");
        connection.close();
        connection = null;
      } else {
        latencies.push(performance.now() - t0);
        if (answer.status >= 300 && samples.length < 5) samples.push(`${answer.status} ${answer.body.slice(0, 200)}`);
        if (!answer.keepAlive) {
          connection.close();
          connection = null;
        }
      }
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
    }
    connection?.close();
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { requests: count, seconds, perSecond: count / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), statuses, errors: [...new Set(errors)], samples };
}

interface HttpAnswer {
  status: number;
  /** The body as text, kept only for answers of 300 and above (for the samples). */
  body: string;
  keepAlive: boolean;
  error?: string;
}

const HEAD_END = Buffer.from("\r\n\r\n");
const LINE_END = Buffer.from("\r\n");

/** One keep-alive HTTP/1.1 connection that reads Content-Length and chunked answers. */
class HttpConnection {
  private readonly socket: net.Socket;
  private buffer: Buffer = Buffer.alloc(0);
  private waiting: ((answer: HttpAnswer) => void) | null = null;
  private failure: string | null = null;

  constructor(host: string, port: number) {
    this.socket = net.connect({ host, port, noDelay: true });
    this.socket.on("data", (chunk: Buffer) => {
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
      this.parse(false);
    });
    this.socket.on("error", (error: NodeJS.ErrnoException) => (this.failure = error.code ?? error.message));
    this.socket.on("close", () => this.parse(true));
  }

  send(request: Buffer): Promise<HttpAnswer> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      if (this.socket.destroyed) return this.parse(true);
      this.socket.write(request);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private finish(answer: HttpAnswer): void {
    const resolve = this.waiting;
    this.waiting = null;
    resolve?.(answer);
  }

  private parse(closed: boolean): void {
    if (!this.waiting) return;
    const lost = (): void => this.finish({ status: 0, body: "", keepAlive: false, error: this.failure ?? "connection closed" });
    const headEnd = this.buffer.indexOf(HEAD_END);
    if (headEnd < 0) return closed ? lost() : undefined;
    const head = this.buffer.toString("latin1", 0, headEnd);
    const status = Number(head.slice(9, 12));
    const fields = head.toLowerCase();
    const keepAlive = !/\r\nconnection: *close/.test(fields);
    const bodyStart = headEnd + 4;
    const length = /\r\ncontent-length: *(\d+)/.exec(fields);
    let bodyEnd: number;
    let body: Buffer;
    if (length) {
      bodyEnd = bodyStart + Number(length[1]);
      if (this.buffer.length < bodyEnd) return closed ? lost() : undefined;
      body = this.buffer.subarray(bodyStart, bodyEnd);
    } else if (/\r\ntransfer-encoding: *chunked/.test(fields)) {
      const parts: Buffer[] = [];
      let at = bodyStart;
      for (;;) {
        const lineEnd = this.buffer.indexOf(LINE_END, at);
        if (lineEnd < 0) return closed ? lost() : undefined;
        const size = parseInt(this.buffer.toString("latin1", at, lineEnd), 16);
        if (size === 0) {
          // No trailers are sent by our servers: the last chunk is "0\r\n\r\n".
          if (this.buffer.length < lineEnd + 4) return closed ? lost() : undefined;
          bodyEnd = lineEnd + 4;
          break;
        }
        if (this.buffer.length < lineEnd + 2 + size + 2) return closed ? lost() : undefined;
        parts.push(this.buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
      }
      body = Buffer.concat(parts);
    } else if (status === 204 || status === 304) {
      bodyEnd = bodyStart;
      body = Buffer.alloc(0);
    } else {
      // Neither: the body runs to the end of the connection.
      if (!closed) return;
      bodyEnd = this.buffer.length;
      body = this.buffer.subarray(bodyStart);
      this.buffer = Buffer.alloc(0);
      return this.finish({ status, body: status >= 300 ? body.toString() : "", keepAlive: false });
    }
    this.buffer = this.buffer.subarray(bodyEnd);
    this.finish({ status, body: status >= 300 ? body.toString() : "", keepAlive: keepAlive && !closed });
  }
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
