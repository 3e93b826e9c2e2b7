// Build, migrate and run the production server (server.mjs) for the demo.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

/** The newest modification time of the app's sources (app/ and the build configuration). */
function newestSource(root) {
  let newest = 0;
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else newest = Math.max(newest, statSync(full).mtimeMs);
    }
  };
  visit(path.join(root, "app"));
  for (const file of ["vite.config.ts", "package-lock.json", "prisma/schema.prisma"]) {
    if (existsSync(path.join(root, file))) newest = Math.max(newest, statSync(path.join(root, file)).mtimeMs);
  }
  return newest;
}

/** `npx remix vite:build` when there is no production build yet, or the sources are newer. */
export function ensureBuild(root) {
  const built = path.join(root, "build/server/index.js");
  if (existsSync(built) && statSync(built).mtimeMs >= newestSource(root)) return false;
  console.log("The production build is missing or older than the sources: running `npx remix vite:build`...");
  const result = spawnSync("npx", ["remix", "vite:build"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`the build failed (exit ${result.status ?? result.signal})`);
  return true;
}

/** `node scripts/prisma.mjs migrate deploy` on the demo database (the offline Prisma wrapper). */
export function migrate(root, databaseUrl) {
  const result = spawnSync(process.execPath, [path.join(root, "scripts/prisma.mjs"), "migrate", "deploy"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: "utf8",
  });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  if (result.status !== 0) throw new Error(`prisma migrate deploy failed:\n${output}`);
  const applied = /(\d+) migrations? (?:found|applied)/i.exec(output);
  return /No pending migrations/i.test(output) ? "up to date" : applied ? `${applied[0]}` : "applied";
}

function prefixLines(stream, prefix, sink) {
  let pending = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk) => {
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop();
    for (const line of lines) sink(`${prefix}${line}`);
  });
  stream.on("end", () => pending && sink(`${prefix}${pending}`));
}

/**
 * Starts `node server.mjs` with `env` and resolves with { url, child, stop } once it prints
 * "listening on http://...". Its output is forwarded line by line with a prefix.
 */
export function startServer(root, env, { timeoutMs = 60_000, prefix = "[server] ", nodeArgs = [] } = {}) {
  const child = spawn(process.execPath, [...nodeArgs, "server.mjs"], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  let exited = false;
  const exitPromise = new Promise((resolve) => child.once("exit", (code, signal) => ((exited = true), resolve({ code, signal }))));
  const stop = async (graceMs = 5000) => {
    if (exited) return exitPromise;
    child.kill("SIGTERM");
    const timer = setTimeout(() => !exited && child.kill("SIGKILL"), graceMs);
    const result = await exitPromise;
    clearTimeout(timer);
    return result;
  };
  const url = new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`the server did not start within ${timeoutMs / 1000} s:\n${log}`));
    }, timeoutMs);
    const watch = (chunk) => {
      log += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on("data", watch);
    child.stderr.on("data", (chunk) => (log += chunk));
    exitPromise.then(({ code, signal }) => {
      clearTimeout(timer);
      const hint = /EADDRINUSE/.test(log) ? "\n(the port is taken: pass --port N)" : "";
      reject(new Error(`the server exited (${signal ?? `code ${code}`}) before listening:\n${log}${hint}`));
    });
  });
  prefixLines(child.stdout, prefix, (line) => console.log(line));
  prefixLines(child.stderr, prefix, (line) => console.error(line));
  return url.then((address) => ({ url: address, child, stop, exited: exitPromise }));
}
