import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "../support/database";
import { TEST_API_SECRET } from "../support/app-server";
import { byTrigger, EXPECTED_MESSAGES, EXPECTED_YEAR } from "./automations-expected";
import { outcome, replayTicks, setupYear, startSmtpServer } from "./automations-support";

process.env.SHOPIFY_API_SECRET ??= TEST_API_SECRET;
const root = path.resolve(import.meta.dirname, "../..");

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(() => smtp.close());

interface Reply {
  ready?: boolean;
  done?: string;
  batches?: number;
  creates?: number;
  error?: string;
}

function startSchedulerProcess(databaseUrl: string) {
  const child: ChildProcess = fork(path.join(root, "tests/integration/automations-scheduler-child.ts"), [], {
    cwd: root,
    execArgv: ["--import", "tsx"],
    env: { ...process.env, DATABASE_URL: databaseUrl, SHOPIFY_API_SECRET: TEST_API_SECRET },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let waiting: ((reply: Reply) => void) | null = null;
  const replies: Reply[] = [];
  child.on("message", (reply: Reply) => {
    if (waiting) {
      const resolve = waiting;
      waiting = null;
      resolve(reply);
    } else replies.push(reply);
  });
  let creates = 0;
  const next = () => new Promise<Reply>((resolve) => (replies.length ? resolve(replies.shift()!) : (waiting = resolve)));
  return {
    ready: next,
    async tick(now: Date) {
      child.send({ tick: now.toISOString() });
      const reply = await next();
      if (reply.error) throw new Error(reply.error);
      creates = reply.creates ?? creates;
      return reply.batches ?? 0;
    },
    creates: () => creates,
    stop: () => child.kill("SIGTERM"),
  };
}

describe("two schedulers in two processes on one database", () => {
  it("replay the member's year together and still do everything exactly once", async () => {
    const { db, url } = freshDatabase();
    const year = await setupYear(db, smtp.port);
    const a = startSchedulerProcess(url);
    const b = startSchedulerProcess(url);
    try {
      await Promise.all([a.ready(), b.ready()]);
      const batches = { a: 0, b: 0 };
      for (const now of replayTicks(7)) {
        await year.eventsBefore(now);
        const [x, y] = await Promise.all([a.tick(now), b.tick(now)]);
        batches.a += x;
        batches.b += y;
      }
      // Both did part of the work.
      expect(batches.a).toBeGreaterThan(0);
      expect(batches.b).toBeGreaterThan(0);
      // The redemption's code was created once, by one of the two.
      expect(a.creates() + b.creates()).toBe(1);
    } finally {
      a.stop();
      b.stop();
    }
    const result = await outcome(db, year.memberId);
    expect(result).toMatchObject(EXPECTED_YEAR);
    expect(byTrigger(result.messages)).toEqual(EXPECTED_MESSAGES);
    expect(result.messages.filter((m) => m.status !== "SENT")).toEqual([]);
    const ids = smtp.received.filter((r) => r.to.includes("ola@example.pl")).map((m) => m.mail.headers.get("x-tierwise-message"));
    expect(ids.sort()).toEqual((await db.messageLog.findMany({ where: { memberId: year.memberId }, select: { id: true } })).map((m) => m.id).sort());
    const jobRuns = await db.jobRun.groupBy({ by: ["job", "slot"], _count: { _all: true } });
    expect(jobRuns.every((r) => r._count._all === 1)).toBe(true);
    await db.$disconnect();
  });
});
