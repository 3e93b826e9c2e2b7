import path from "node:path";
import { describe, expect, it } from "vitest";
import { HandOff, HandOffApplier, type HandOffResult } from "../../app/inbox/handoff.server";
import { backoffMs, Inbox, type ApplyOutcome, type InboxDelivery, type InboxRow } from "../../app/inbox/inbox.server";
import { testTempDir } from "../support/temp";

const file = () => path.join(testTempDir("inbox-"), "app.inbox.sqlite");
/** An applier that applies a batch's rows one by one; a row that throws fails alone. */
const eachRow = (apply: (row: InboxRow) => Promise<ApplyOutcome>) => async (rows: InboxRow[]) => {
  const results: (ApplyOutcome | Error)[] = [];
  for (const row of rows) results.push(await apply(row).catch((error: Error) => error));
  return results;
};
const delivery = (key: string): InboxDelivery => ({ source: "shopify", shop: "inbox.myshopify.com", topic: "orders/paid", dedupeKey: key, webhookId: null, triggeredAt: 0, body: `{"key":"${key}"}` });

describe("the webhook inbox", () => {
  it("stores a delivery once and applies stored deliveries in the order they came", async () => {
    const applied: string[] = [];
    const inbox = new Inbox(file(), eachRow(async (row) => (applied.push(row.dedupeKey), "processed")));
    expect(inbox.accept(delivery("a"))).not.toBeNull();
    expect(inbox.accept(delivery("b"))).not.toBeNull();
    expect(inbox.accept(delivery("a"))).toBeNull();
    expect(inbox.pendingCount()).toBe(2);
    await inbox.drain();
    expect(applied).toEqual(["a", "b"]);
    expect(inbox.pendingCount()).toBe(0);
    await inbox.stop();
  });

  it("stores the deliveries of one event-loop turn together: each answered once committed, in arrival order, a repeat as a duplicate", async () => {
    const applied: string[] = [];
    const inbox = new Inbox(file(), eachRow(async (row) => (applied.push(row.dedupeKey), "processed")));
    const first = inbox.accept(delivery("before"))!;
    // Five requests of one turn; "t2" comes twice.
    const turn = ["t1", "t2", "t3", "t2", "t4"].map((key, i) => inbox.acceptSoon(delivery(key), { claim: i === 0 }));
    // Nothing is stored before the turn ends.
    expect(inbox.pendingCount()).toBe(1);
    const stored = await Promise.all(turn);
    expect(stored[3]).toBeNull();
    const ids = stored.filter((s) => s !== null).map((s) => s!.id);
    expect(ids[0]).toBeGreaterThan(first.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(4);
    expect(inbox.pendingCount()).toBe(5);
    // The one stored claimed ("t1", for the hand-off) is kept from the drain; the others are applied.
    await inbox.drain();
    expect(applied).toEqual(["before", "t2", "t3", "t4"]);
    await inbox.stop();
  });

  it("refuses every delivery of a turn when its commit fails, and stores none of them", async () => {
    const where = file();
    const inbox = new Inbox(where, eachRow(async () => "processed"));
    const turn = ["x1", "x2"].map((key) => inbox.acceptSoon(delivery(key)));
    // The connection is closed before the turn's commit: both requests fail (the platform retries them).
    await inbox.stop();
    const results = await Promise.allSettled(turn);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    const reopened = new Inbox(where, eachRow(async () => "processed"));
    expect(reopened.pendingCount()).toBe(0);
    await reopened.stop();
  });

  it("retries a failed delivery with backoff, and not before", async () => {
    let now = 1_000_000;
    let failures = 2;
    const attempts: number[] = [];
    const inbox = new Inbox(file(), eachRow(async (row: InboxRow) => {
      attempts.push(row.attempts);
      if (failures-- > 0) throw new Error("database is locked");
      return "processed";
    }), () => now);
    const stored = inbox.accept(delivery("x"))!;
    expect(await inbox.applyNow(stored.id)).toBeNull();
    await inbox.drain();
    expect(attempts).toEqual([0]);
    now += backoffMs(1);
    await inbox.drain();
    expect(attempts).toEqual([0, 1]);
    now += backoffMs(2) - 1;
    await inbox.drain();
    expect(attempts).toEqual([0, 1]);
    now += 1;
    await inbox.drain();
    expect(attempts).toEqual([0, 1, 2]);
    expect(inbox.pendingCount()).toBe(0);
    expect(await inbox.applyNow(stored.id)).toBeNull();
    expect(attempts).toHaveLength(3);
    expect(backoffMs(30)).toBe(15 * 60_000);
    await inbox.stop();
  });

  it("never applies one row in two processes' drains at once, and takes over a dead one's claim after the lease", async () => {
    const shared = file();
    const seen = new Map<string, number>();
    const apply = async (row: InboxRow) => {
      seen.set(row.dedupeKey, (seen.get(row.dedupeKey) ?? 0) + 1);
      await new Promise((resolve) => setImmediate(resolve));
      return "processed";
    };
    const one = new Inbox(shared, eachRow(apply));
    const two = new Inbox(shared, eachRow(apply));
    for (let i = 0; i < 300; i++) (i % 2 ? one : two).accept(delivery(`k${i}`));
    await Promise.all([one.drain(), two.drain(), one.drain(), two.drain()]);
    expect(seen.size).toBe(300);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);

    // A claim whose owner never finishes (a crashed process) is taken over once its lease runs out.
    let now = 5_000_000;
    const stuck = new Inbox(shared, () => new Promise<(ApplyOutcome | Error)[]>(() => {}), () => now, 10_000);
    stuck.accept(delivery("stuck"));
    void stuck.drain();
    const rescuer = new Inbox(shared, eachRow(apply), () => now, 10_000);
    await rescuer.drain();
    expect(seen.has("stuck")).toBe(false);
    now += 10_001;
    await rescuer.drain();
    expect(seen.get("stuck")).toBe(1);
    await Promise.all([one.stop(), two.stop(), rescuer.stop()]);
  });

  it("applies stored deliveries in batches; a row that fails in a batch is retried alone, the others are done", async () => {
    let now = 2_000_000;
    const batches: string[][] = [];
    let failOnce = true;
    const inbox = new Inbox(file(), async (rows) => {
      batches.push(rows.map((row) => row.dedupeKey));
      return rows.map((row) => {
        if (row.dedupeKey === "k3" && failOnce) return (failOnce = false), new Error("no such member yet");
        return "processed";
      });
    }, () => now);
    for (let i = 0; i < 200; i++) inbox.accept(delivery(`k${i}`));
    await inbox.drain();
    expect(batches.length).toBeLessThan(10);
    expect(batches.flat()).toEqual(Array.from({ length: 200 }, (_, i) => `k${i}`));
    expect(inbox.pendingCount()).toBe(1);
    expect(inbox.hasPending()).toBe(true);
    now += backoffMs(1);
    await inbox.drain();
    expect(batches.at(-1)).toEqual(["k3"]);
    expect(inbox.hasPending()).toBe(false);
    await inbox.stop();
  });

  it("retries the whole batch when applying it throws", async () => {
    let now = 3_000_000;
    let calls = 0;
    const inbox = new Inbox(file(), async (rows) => {
      if (calls++ === 0) throw new Error("database is locked");
      return rows.map(() => "processed");
    }, () => now);
    for (let i = 0; i < 5; i++) inbox.accept(delivery(`b${i}`));
    await inbox.drain();
    expect(inbox.pendingCount()).toBe(5);
    now += backoffMs(1);
    await inbox.drain();
    expect(inbox.pendingCount()).toBe(0);
    await inbox.stop();
  });

  it("hands stored rows to another thread's applier in memory and records the results it sends back", async () => {
    const inbox = new Inbox(file(), async () => [], Date.now, 60_000, { checkpoints: false });
    const applied: string[][] = [];
    let toMain: (results: HandOffResult[]) => void = () => {};
    const applier = new HandOffApplier(async (rows) => {
      applied.push(rows.map((row) => row.dedupeKey));
      return rows.map((row) => (row.dedupeKey === "h2" ? new Error("not yet") : "processed"));
    }, (results) => toMain(results));
    const handOff = new HandOff(inbox, (rows) => applier.take(structuredClone(rows)), 3);
    toMain = (results) => handOff.settled(results);

    const stored = ["h1", "h2", "h3"].map((key) => {
      expect(handOff.canTake()).toBe(true);
      const d = delivery(key);
      const row = { ...d, id: inbox.accept(d, { claim: true })!.id, attempts: 0 };
      handOff.give(row);
      return row;
    });
    // In flight rows are bounded: the fourth would wait in the inbox file for a drain.
    expect(handOff.canTake()).toBe(false);
    expect(await handOff.wait(stored[0].id, 2_000)).toBe("processed");
    await applier.idle();
    expect(applied.flat()).toEqual(["h1", "h2", "h3"]);
    // h1 and h3 are done; h2 failed and waits for a retry with backoff, unclaimed.
    expect(inbox.outcomeOf(stored[0].id)).toBe("processed");
    expect(inbox.outcomeOf(stored[2].id)).toBe("processed");
    expect(inbox.outcomeOf(stored[1].id)).toBeNull();
    expect(inbox.pendingCount()).toBe(1);
    expect(handOff.canTake()).toBe(true);
    await inbox.stop();
  });

  it("gives a lost applier's rows back to the inbox at once, for the next drain", async () => {
    const shared = file();
    const receiving = new Inbox(shared, async () => [], Date.now, 60_000, { checkpoints: false });
    const handOff = new HandOff(receiving, () => {});
    const ids = ["l1", "l2"].map((key) => {
      const d = delivery(key);
      const id = receiving.accept(d, { claim: true })!.id;
      handOff.give({ ...d, id, attempts: 0 });
      return id;
    });
    const waiting = handOff.wait(ids[0], 60_000);
    const drained: string[] = [];
    const draining = new Inbox(shared, eachRow(async (row) => (drained.push(row.dedupeKey), "processed")));
    await draining.drain();
    expect(drained).toEqual([]); // still claimed by the receiving thread
    handOff.lost();
    expect(await waiting).toBeNull();
    await draining.drain();
    expect(drained).toEqual(["l1", "l2"]);
    await Promise.all([receiving.stop(), draining.stop()]);
  });

  it("reads an inbox file from before stored events had a format: its rows are raw payloads", async () => {
    const old = file();
    const Database = (await import("better-sqlite3")).default;
    const sqlite = new Database(old);
    sqlite.exec(`CREATE TABLE inbox (id INTEGER PRIMARY KEY AUTOINCREMENT, source TEXT NOT NULL, shop TEXT NOT NULL, topic TEXT NOT NULL,
      dedupe_key TEXT NOT NULL, webhook_id TEXT, triggered_at INTEGER, body TEXT NOT NULL, received_at INTEGER NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL DEFAULT 0, claimed_by TEXT, claimed_until INTEGER,
      processed_at INTEGER, outcome TEXT, last_error TEXT, UNIQUE (source, shop, dedupe_key))`);
    sqlite.prepare(`INSERT INTO inbox (source, shop, topic, dedupe_key, body, received_at) VALUES ('shopify', 's.myshopify.com', 'orders/paid', 'old', '{"id":1}', 1)`).run();
    sqlite.close();
    const seen: InboxRow[] = [];
    const inbox = new Inbox(old, eachRow(async (row) => (seen.push(row), "processed")));
    inbox.accept({ ...delivery("new"), format: "event" });
    await inbox.drain();
    expect(seen.map((row) => [row.dedupeKey, row.format])).toEqual([["old", "raw"], ["new", "event"]]);
    await inbox.stop();
  });
});
