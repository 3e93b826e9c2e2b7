import { crashPoint } from "../loyalty/crash-points.server";
import type { Applier, ApplyOutcome, Inbox, InboxRow } from "./inbox.server";

/**
 * Handing stored deliveries from the thread that answers webhooks to the thread that applies them,
 * in memory, instead of through the inbox file: the answering thread stores each delivery already
 * claimed by itself, passes the row on, and records the result that comes back. The applying thread
 * then never writes the inbox file in the normal course, so storing a delivery never waits for the
 * file's write lock (SQLite waits for a lock by sleeping, which would stop every answer).
 *
 * A row handed off is still a claimed inbox row: if the applying thread dies with it, the claim is
 * released (or its lease runs out) and the inbox's drain applies it. Applying is idempotent, so a
 * row applied twice is harmless. See docs/decisions/008-webhook-inbox.md.
 */

export interface HandOffResult {
  id: number;
  outcome: ApplyOutcome | null;
  error: string | null;
}

/** Rows handed off and not yet settled, at most; beyond it deliveries wait in the inbox file. */
const MAX_IN_FLIGHT = 5_000;

/** The answering thread's side. */
export class HandOff {
  private outgoing: InboxRow[] = [];
  private readonly inFlight = new Map<number, InboxRow>();
  private readonly waiters = new Map<number, (outcome: ApplyOutcome | null) => void>();

  constructor(
    private readonly inbox: Inbox,
    private readonly send: (rows: InboxRow[]) => void,
    private readonly maxInFlight = MAX_IN_FLIGHT,
  ) {}

  /** Whether another row may be handed off (bounded, so memory stays bounded under any burst). */
  canTake(): boolean {
    return this.inFlight.size < this.maxInFlight;
  }

  /** Whether no handed-off row waits to be applied (the applying thread has nothing of ours). */
  quiet(): boolean {
    return this.inFlight.size === 0;
  }

  /** Hands a row claimed by this thread's inbox to the applying thread (rows of one turn go together). */
  give(row: InboxRow): void {
    this.inFlight.set(row.id, row);
    this.outgoing.push(row);
    if (this.outgoing.length === 1) setImmediate(() => this.flush());
  }

  /** Resolves with the row's outcome once applied, or null after `ms` (it is applied later). */
  wait(id: number, ms: number): Promise<ApplyOutcome | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(id);
        resolve(null);
      }, ms);
      this.waiters.set(id, (outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      });
    });
  }

  /** Records results from the applying thread: done, or failed and retried later with backoff. */
  settled(results: HandOffResult[]): void {
    const rows: InboxRow[] = [];
    const outcomes: (ApplyOutcome | Error)[] = [];
    for (const result of results) {
      const row = this.inFlight.get(result.id);
      if (!row) continue;
      this.inFlight.delete(result.id);
      rows.push(row);
      outcomes.push(result.outcome ?? new Error(result.error ?? "no outcome"));
    }
    if (rows.length) this.inbox.settle(rows, outcomes);
    for (const result of results) this.waiters.get(result.id)?.(result.outcome);
    for (const result of results) this.waiters.delete(result.id);
  }

  /** The applying thread went away: its rows go back to the inbox for the next drain. */
  lost(): void {
    const ids = [...this.inFlight.keys()];
    this.inFlight.clear();
    this.outgoing = [];
    this.inbox.release(ids);
    for (const [id, resolve] of this.waiters) {
      this.waiters.delete(id);
      resolve(null);
    }
  }

  private flush(): void {
    const rows = this.outgoing;
    this.outgoing = [];
    if (rows.length) this.send(rows);
  }
}

/** The applying thread's side: applies handed-off rows in batches, in the order they came. */
export class HandOffApplier {
  private queue: InboxRow[] = [];
  private running: Promise<void> | null = null;

  constructor(
    private readonly apply: Applier,
    private readonly report: (results: HandOffResult[]) => void,
    private readonly batch = 256,
  ) {}

  take(rows: InboxRow[]): void {
    this.queue.push(...rows);
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
  }

  /** Whether rows wait or are being applied. */
  busy(): boolean {
    return this.running !== null || this.queue.length > 0;
  }

  /** Resolves when everything taken so far is applied and reported. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async run(): Promise<void> {
    while (this.queue.length) {
      const rows = this.queue.splice(0, this.batch);
      crashPoint("inbox:after-claim");
      let results: (ApplyOutcome | Error)[];
      try {
        results = await this.apply(rows);
      } catch (error) {
        results = rows.map(() => (error instanceof Error ? error : new Error(String(error))));
      }
      this.report(
        rows.map((row, i) => {
          const result = results[i] ?? new Error("no outcome");
          return result instanceof Error ? { id: row.id, outcome: null, error: result.message } : { id: row.id, outcome: result, error: null };
        }),
      );
      // Let messages from the answering thread in between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
