// The background worker: the webhook inbox's drain and the scheduler, in a worker thread of the production server (server.mjs starts it):
// it applies stored deliveries to the ledger on its own database connections, so the main thread
// only verifies, stores and answers. A "drain" message wakes it at once (a delivery just came in); it stops on a "stop" message after the row it is applying.
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort } from "node:worker_threads";

// Answers first: this thread runs at the lowest CPU priority (nice 19), so when the cores are
// oversubscribed under a burst the answers get the CPU and the backlog is applied in what is left;
// an idle core it still has to itself. (With a load generator on the same two cores, alternating
// runs answered 2,049 and 1,389 deliveries/s at nice 10, 2,591 and 1,758 at nice 19.) Linux keeps a nice value per thread; /proc/thread-self names this thread.
// Elsewhere it simply runs at normal priority.
try {
  setPriority(Number(readlinkSync("/proc/thread-self").split("/").pop()), 19);
} catch {
  // not Linux, or not allowed: no harm
}

const build = await import("./build/server/index.js");
// The main thread hands deliveries over in memory, and wakes this drain when it cannot; the timer
// is for retries that fall due and for claims left by a process that died.
const inbox = build.entry.module.configureInbox({ drain: true, everyMs: 1_000 });
// Deliveries the main thread stored and handed over; each result goes back to it to be recorded.
const applier = build.entry.module.handOffApplier((results) => parentPort?.postMessage({ type: "applied", results }));
// The scheduler (app/jobs/start.server.ts) runs here too: every background write stays off the
// thread that answers requests (a write waiting for SQLite's lock would stop that thread).
// Deliveries first: a job waits before each batch while deliveries are being applied (at most a few
// seconds, so a steady stream of webhooks delays the jobs but never stops them).
const deliveriesFirst = async () => {
  const deadline = Date.now() + 5_000;
  while ((applier.busy() || inbox.isDraining()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
};
const stopAutomations = build.entry.module.startAutomations?.({ beforeBatch: deliveriesFirst }) ?? null;
parentPort?.postMessage("ready");
parentPort?.on("message", async (message) => {
  if (message === "drain") return void inbox.drain();
  if (message?.type === "apply") return applier.take(message.rows);
  if (message !== "stop") return;
  await applier.idle();
  await stopAutomations?.();
  await inbox.stop();
  process.exit(0);
});
