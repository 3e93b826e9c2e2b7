import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backoffMs, deliverOutbox } from "../../app/jobs/outbox-worker.server";
import { enqueue } from "../../app/loyalty/outbox.server";
import { installShop } from "../../app/loyalty/program.server";
import { freshDatabase } from "../support/database";

let db: PrismaClient;
let shopId: string;
beforeAll(async () => {
  db = freshDatabase().db;
  shopId = (await installShop(db, "outbox.myshopify.com")).id;
});
afterAll(() => db.$disconnect());

describe("the outbox worker", () => {
  it("delivers due messages once, retries failures with backoff, and gives up after the limit", async () => {
    await db.$transaction(async (tx) => {
      await enqueue(tx, shopId, "tier.changed", { memberId: "m1" });
      await enqueue(tx, shopId, "redemption.issue", { redemptionId: "r1" });
    });
    const seen: string[] = [];
    let failures = 0;
    const handlers = {
      "tier.changed": async (_m: unknown, payload: Record<string, unknown>) => void seen.push(String(payload.memberId)),
      "redemption.issue": async () => {
        failures++;
        throw new Error("503 from the platform");
      },
    };
    const t0 = new Date(Date.now() + 60_000);
    expect(await deliverOutbox(db, handlers, { now: t0, maxAttempts: 3 })).toEqual({ delivered: 1, retried: 1, dead: 0, skipped: 0 });
    // Nothing is due again before the backoff has passed.
    expect(await deliverOutbox(db, handlers, { now: new Date(t0.getTime() + 1_000), maxAttempts: 3 })).toEqual({ delivered: 0, retried: 0, dead: 0, skipped: 0 });
    let now = t0.getTime();
    for (let attempt = 1; attempt < 3; attempt++) {
      now += backoffMs(attempt);
      await deliverOutbox(db, handlers, { now: new Date(now), maxAttempts: 3 });
    }
    expect(seen).toEqual(["m1"]);
    expect(failures).toBe(3);
    const dead = await db.outboxMessage.findFirstOrThrow({ where: { kind: "redemption.issue" } });
    expect(dead.status).toBe("DEAD");
    expect(dead.lastError).toMatch(/503/);
  });

  it("never runs one message in two workers at once", async () => {
    await db.$transaction((tx) => enqueue(tx, shopId, "member.enrolled", { memberId: "m2" }));
    let runs = 0;
    const handlers = { "member.enrolled": async () => void runs++ };
    const now = new Date(Date.now() + 60_000);
    const results = await Promise.all([deliverOutbox(db, handlers, { now }), deliverOutbox(db, handlers, { now })]);
    expect(runs).toBe(1);
    expect(results.reduce((sum, r) => sum + r.delivered, 0)).toBe(1);
  });
});
