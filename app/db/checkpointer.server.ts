import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * WAL checkpoints of the main SQLite database in a thread of their own.
 *
 * In WAL mode every commit appends its pages to the log, and by default the connection that
 * commits past 1,000 pages of log copies them back into the database file and fsyncs it, inside
 * that commit. The batch jobs and the webhook worker write scattered pages (members, ledger
 * indexes), and that fsync is where their commits wait: about a fifth of a period-end pass
 * (docs/decisions/014). With a checkpointer running, the connections the app opens
 * (sqliteAdapter) only checkpoint themselves past FALLBACK_AUTOCHECKPOINT_PAGES, in case this
 * thread has stopped or fallen behind, and the copying and fsync overlap the writers' work.
 *
 * PASSIVE checkpoints never wait for a lock and never block readers or the writer: they copy what
 * no reader still needs, and SQLite starts the log over at the next commit once all of it is
 * copied. Same durability: synchronous = NORMAL on every connection, and a checkpoint syncs the
 * log before copying and the database after, wherever it runs.
 */

/** Set (to "1") by the process that runs a checkpointer, before it opens the database; worker threads inherit it. */
export const BACKGROUND_CHECKPOINTS_ENV = "TIERWISE_BACKGROUND_CHECKPOINTS";
/** The log a writer lets grow before it checkpoints itself anyway (4 KB pages: 64 MB). */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 16_384;
const DEFAULT_EVERY_MS = 100;

/** The wal_autocheckpoint a new connection of this process should use: null for SQLite's default. */
export function autocheckpointPages(): number | null {
  return process.env[BACKGROUND_CHECKPOINTS_ENV] === "1" ? FALLBACK_AUTOCHECKPOINT_PAGES : null;
}

// Plain CommonJS for an eval'd worker: it needs no build step, and loads the driver by the path
// resolved here (an eval'd worker would resolve modules from the working directory).
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
try {
  // Linux keeps a nice value per thread: the checkpoints take the CPU the answering thread leaves.
  require("node:os").setPriority(Number(require("node:fs").readlinkSync("/proc/thread-self").split("/").pop()), 19);
} catch {}
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma("synchronous = NORMAL");
let failures = 0;
const timer = setInterval(() => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
    failures = 0;
  } catch (error) {
    // A busy database or a transient I/O error: try again at the next tick; say so once.
    if (failures++ === 0) parentPort.postMessage({ type: "failed", error: String(error) });
  }
}, workerData.everyMs);
parentPort.on("message", (message) => {
  if (message !== "stop") return;
  clearInterval(timer);
  db.close();
  parentPort.postMessage({ type: "stopped" });
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

/**
 * Starts checkpointing `file` every `everyMs` in a worker thread (which does not keep the process
 * alive), and sets BACKGROUND_CHECKPOINTS_ENV so that the connections opened afterwards, here and in
 * worker threads started afterwards, leave the checkpoints to it.
 */
export function startCheckpointer(file: string, options: { everyMs?: number } = {}): Checkpointer {
  process.env[BACKGROUND_CHECKPOINTS_ENV] = "1";
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, everyMs: options.everyMs ?? DEFAULT_EVERY_MS } });
  worker.unref();
  let exited = false;
  worker.on("message", (message: { type: string; error?: string }) => {
    if (message.type === "failed") console.error(JSON.stringify({ msg: "WAL checkpoint failed", file, error: message.error }));
  });
  worker.on("error", (error) => console.error(JSON.stringify({ msg: "checkpointer failed", file, error: String(error) })));
  worker.on("exit", () => (exited = true));
  return {
    async stop() {
      if (exited) return;
      const stopped = new Promise<void>((resolve) => worker.on("message", (m: { type: string }) => m.type === "stopped" && resolve()));
      worker.postMessage("stop");
      await Promise.race([stopped, new Promise((resolve) => worker.once("exit", resolve))]);
      await worker.terminate();
    },
  };
}
