import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { automationJobs } from "../../app/jobs/automation-jobs.server";
import { messageOutboxHandlers } from "../../app/jobs/message-handlers.server";
import { Scheduler } from "../../app/jobs/scheduler.server";
import { freshDatabase } from "../support/database";
import { RecordingIssuer } from "../support/recording-issuer";
import { byTrigger, EXPECTED_MESSAGES, EXPECTED_YEAR } from "./automations-expected";
import { outcome, replayTicks, setupYear, startSmtpServer } from "./automations-support";

process.env.SHOPIFY_API_SECRET ??= "tierwise-test-secret";

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(() => smtp.close());

describe("a member's year replayed through the scheduler", () => {
  it("gives the expected expiries, reminders, birthday, downgrade and win-backs once each, though every tick's scheduler dies after one batch", async () => {
    const { db } = freshDatabase();
    const year = await setupYear(db, smtp.port);
    // Batches of one member, so every run has a batch after Ola's to be interrupted before.
    const issuer = new RecordingIssuer();
    const jobs = automationJobs({
      handlersAt: (now) => messageOutboxHandlers({ db, now: () => now, baseUrl: "https://tierwise.test" }),
      issuerFor: async () => issuer,
      batchSize: 1,
    });
    let interrupted = 0;
    let tick = 0;
    for (const now of replayTicks(7)) {
      await year.eventsBefore(now);
      // This scheduler does one batch of each due job and is then gone without handing its runs
      // back (as if the process was killed): its leases hold the runs for 10 minutes.
      const dying = new Scheduler({ db, jobs, owner: `dying-${now.getTime()}`, maxBatchesPerTick: 1 });
      const first = await dying.tick(now);
      const restarted = new Scheduler({ db, jobs, owner: `restarted-${now.getTime()}` });
      // A restarted scheduler at the same moment finds the runs leased and leaves them alone...
      if (tick++ < 4) expect((await restarted.tick(now)).filter((r) => r.batches > 0)).toEqual([]);
      // ...and resumes each from its saved cursor once the dead one's lease has run out.
      const resumed = await restarted.tick(new Date(now.getTime() + 11 * 60_000));
      interrupted += first.filter((r) => r.status === "RUNNING").length;
      expect(resumed.filter((r) => r.batches > 0).every((r) => r.status === "DONE")).toBe(true);
    }
    expect(interrupted).toBeGreaterThan(200);

    // The redemption's code was created once (RecordingIssuer throws on a second create).
    expect(issuer.creates).toBe(1);
    const result = await outcome(db, year.memberId);
    expect(result).toMatchObject(EXPECTED_YEAR);
    expect(byTrigger(result.messages)).toEqual(EXPECTED_MESSAGES);
    expect(result.messages.filter((m) => m.status !== "SENT")).toEqual([]);
    // Every message reached the SMTP server exactly once.
    const mails = smtp.received.filter((r) => r.to.includes("ola@example.pl"));
    expect(mails.map((m) => m.mail.headers.get("x-tierwise-message")).sort()).toEqual(
      (await db.messageLog.findMany({ where: { memberId: year.memberId }, select: { id: true } })).map((m) => m.id).sort(),
    );
    const runs = await db.jobRun.findMany({ where: { status: { not: "DONE" } } });
    expect(runs).toEqual([]);
    await db.$disconnect();
  });
});
