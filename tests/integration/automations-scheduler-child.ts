// A scheduler in a process of its own (started by automations-two-schedulers.test.ts): ticks when
// the parent says so, at the parent's clock, on the database file in DATABASE_URL.
import { automationJobs } from "../../app/jobs/automation-jobs.server";
import { messageOutboxHandlers } from "../../app/jobs/message-handlers.server";
import { Scheduler } from "../../app/jobs/scheduler.server";
import { createDatabaseClient } from "../../app/db.server";
import { RecordingIssuer } from "../support/recording-issuer";

const db = createDatabaseClient(process.env.DATABASE_URL);
// Each process has its own stand-in platform: a code created twice would show as two creates in
// total (reported to the parent), since only one process may take a redemption run's batch.
const issuer = new RecordingIssuer();
const jobs = automationJobs({
  handlersAt: (now) => messageOutboxHandlers({ db, now: () => now, baseUrl: "https://tierwise.test" }),
  issuerFor: async () => issuer,
  batchSize: 1,
});
const scheduler = new Scheduler({ db, jobs, owner: `process-${process.pid}` });

process.on("message", async (message: { tick: string }) => {
  try {
    const reports = await scheduler.tick(new Date(message.tick));
    process.send!({ done: message.tick, batches: reports.reduce((sum, r) => sum + r.batches, 0), creates: issuer.creates });
  } catch (error) {
    process.send!({ error: String(error instanceof Error ? error.stack : error) });
  }
});
process.send!({ ready: true });
