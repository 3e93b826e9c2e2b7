import Database from "better-sqlite3";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { databaseFile, databaseUrl } from "../db.server";
import { crashPoint } from "../loyalty/crash-points.server";

/**
 * The webhook inbox: a verified, validated delivery is written here (a few microseconds) and
 * answered, then applied to the ledger by a drain loop. It lives in its own SQLite file next to the
 * main database, so accepting a delivery never waits for a ledger transaction to finish: SQLite
 * has one writer per file, and better-sqlite3 waits for the lock synchronously.
 *
 * Every process that receives webhooks drains; rows are claimed with a lease, so two processes
 * never apply the same row at once, and a crashed process's claims expire and are taken over.
 * Applying is idempotent (the core dedupes on the delivery's key), so at-least-once is enough.
 * See docs/decisions/008-webhook-inbox.md.
 */

export interface InboxDelivery {
  source: string;
  shop: string;
  topic: string;
  dedupeKey: string;
  webhookId: string | null;
  triggeredAt: number | null;
  body: string;
  /** "event": a validated event (app/loyalty/event-codec.ts); "raw": the platform's payload as received. */
  format?: "event" | "raw";
}

export interface InboxRow extends InboxDelivery {
  id: number;
  attempts: number;
}

export type ApplyOutcome = string;

interface Arriving {
  delivery: InboxDelivery;
  claim: boolean;
  resolve: (stored: { id: number } | null) => void;
  reject: (error: unknown) => void;
}

/**
 * Applies rows in the order given; returns each row's outcome ("processed", "duplicate", ...) or
 * the Error that makes it retried later. Throwing fails the whole batch (each row is retried).
 */
export type Applier = (rows: InboxRow[]) => Promise<(ApplyOutcome | Error)[]>;

/** How long a claim keeps other processes off a row; a crashed process's rows wait this long. */
const DEFAULT_LEASE_MS = 60_000;
/** Rows applied per ledger transaction: one commit for many deliveries is what keeps up with a burst. */
const BATCH = 128;
const RETENTION_MS = 7 * 24 * 3600 * 1000;
const MAX_BACKOFF_MS = 15 * 60_000;

export function inboxPath(url = databaseUrl()): string {
  if (process.env.TIERWISE_INBOX_PATH) return process.env.TIERWISE_INBOX_PATH;
  const parsed = path.parse(databaseFile(url));
  return path.join(parsed.dir, `${parsed.name}.inbox${parsed.ext || ".sqlite"}`);
}

export function backoffMs(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.max(0, attempts - 1));
}

export class Inbox {
  private readonly sqlite: Database.Database;
  private readonly owner = `${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly statements;
  private draining: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastPurge = 0;
  private readonly checkpoints: boolean;
  /** Deliveries waiting for this turn's commit (acceptSoon). */
  private arriving: Arriving[] = [];
  private readonly storeAll: (arrived: Arriving[]) => ({ id: number } | null)[];

  constructor(
    file: string,
    private readonly apply: Applier,
    private readonly clock: () => number = Date.now,
    private readonly leaseMs = DEFAULT_LEASE_MS,
    options: { checkpoints?: boolean } = {},
  ) {
    this.checkpoints = options.checkpoints !== false;
    this.sqlite = new Database(file);
    this.sqlite.pragma("journal_mode = WAL");
    this.sqlite.pragma("synchronous = NORMAL");
    this.sqlite.pragma("busy_timeout = 5000");
    // The thread that answers webhooks leaves WAL checkpoints (and their fsync) to the draining
    // thread, whose commits run them; an answer then never waits for the disk.
    if (options.checkpoints === false) this.sqlite.pragma("wal_autocheckpoint = 0");
    this.sqlite.exec(`
      CREATE TABLE IF NOT EXISTS inbox (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        source          TEXT NOT NULL,
        shop            TEXT NOT NULL,
        topic           TEXT NOT NULL,
        dedupe_key      TEXT NOT NULL,
        webhook_id      TEXT,
        triggered_at    INTEGER,
        body            TEXT NOT NULL,
        received_at     INTEGER NOT NULL,
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL DEFAULT 0,
        claimed_by      TEXT,
        claimed_until   INTEGER,
        processed_at    INTEGER,
        outcome         TEXT,
        last_error      TEXT,
        UNIQUE (source, shop, dedupe_key)
      );
      -- Covers the claimable check: with thousands of rows handed off in memory (claimed, not yet
      -- applied), the drain's look before claiming reads this index alone, not each row.
      DROP INDEX IF EXISTS inbox_pending;
      CREATE INDEX IF NOT EXISTS inbox_claimable ON inbox (processed_at, next_attempt_at, claimed_until);
    `);
    // Inbox files written before bodies could be validated events hold raw payloads.
    const columns = this.sqlite.prepare(`PRAGMA table_info(inbox)`).all() as { name: string }[];
    if (!columns.some((c) => c.name === "format")) this.sqlite.exec(`ALTER TABLE inbox ADD COLUMN format TEXT NOT NULL DEFAULT 'raw'`);
    this.statements = {
      insert: this.sqlite.prepare(
        `INSERT INTO inbox (source, shop, topic, dedupe_key, webhook_id, triggered_at, body, format, received_at, claimed_by, claimed_until)
         VALUES (@source, @shop, @topic, @dedupeKey, @webhookId, @triggeredAt, @body, @format, @receivedAt, @claimedBy, @claimedUntil)
         ON CONFLICT (source, shop, dedupe_key) DO NOTHING`,
      ),
      claim: this.sqlite.prepare(
        `UPDATE inbox SET claimed_by = ?, claimed_until = ?
         WHERE id IN (SELECT id FROM inbox
                      WHERE processed_at IS NULL AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)
                      ORDER BY id LIMIT ?)
         RETURNING id, source, shop, topic, dedupe_key AS dedupeKey, webhook_id AS webhookId,
                   triggered_at AS triggeredAt, body, format, attempts`,
      ),
      claimOne: this.sqlite.prepare(
        `UPDATE inbox SET claimed_by = ?, claimed_until = ?
         WHERE id = ? AND processed_at IS NULL AND (claimed_until IS NULL OR claimed_until < ? OR claimed_by = ?)
         RETURNING id, source, shop, topic, dedupe_key AS dedupeKey, webhook_id AS webhookId,
                   triggered_at AS triggeredAt, body, format, attempts`,
      ),
      done: this.sqlite.prepare(`UPDATE inbox SET processed_at = ?, outcome = ?, claimed_by = NULL, claimed_until = NULL, body = '' WHERE id = ? AND claimed_by = ?`),
      failed: this.sqlite.prepare(
        `UPDATE inbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?, claimed_by = NULL, claimed_until = NULL WHERE id = ? AND claimed_by = ?`,
      ),
      outcome: this.sqlite.prepare(`SELECT outcome FROM inbox WHERE id = ? AND processed_at IS NOT NULL`),
      release: this.sqlite.prepare(`UPDATE inbox SET claimed_by = NULL, claimed_until = NULL WHERE id = ? AND claimed_by = ? AND processed_at IS NULL`),
      pending: this.sqlite.prepare(`SELECT count(*) AS n FROM inbox WHERE processed_at IS NULL`),
      anyPending: this.sqlite.prepare(`SELECT 1 FROM inbox WHERE processed_at IS NULL LIMIT 1`),
      claimable: this.sqlite.prepare(
        `SELECT 1 FROM inbox WHERE processed_at IS NULL AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?) LIMIT 1`,
      ),
      purge: this.sqlite.prepare(`DELETE FROM inbox WHERE processed_at IS NOT NULL AND processed_at < ?`),
    };
    this.storeAll = this.sqlite.transaction((arrived: Arriving[]) => arrived.map((one) => this.accept(one.delivery, { claim: one.claim })));
  }

  /**
   * Stores a delivery once; null when the same delivery (source, shop, key) is already in. With
   * `claim`, the row is stored already claimed by this inbox, for applyNow, so no drain takes it.
   */
  accept(delivery: InboxDelivery, options: { claim?: boolean } = {}): { id: number } | null {
    const now = this.clock();
    const claimed = options.claim ? { claimedBy: this.owner, claimedUntil: now + this.leaseMs } : { claimedBy: null, claimedUntil: null };
    const result = this.statements.insert.run({ ...delivery, format: delivery.format ?? "raw", receivedAt: now, ...claimed });
    return result.changes === 1 ? { id: Number(result.lastInsertRowid) } : null;
  }

  /**
   * Stores a delivery together with the others that arrive in the same turn of the event loop, in
   * one transaction, and resolves as `accept` does once they are committed. Under a burst, the
   * concurrent requests of a turn then share one commit (one WAL append) instead of paying one
   * each: measured ~20 µs a row for 32 together against ~90-110 µs alone. If the commit fails,
   * every delivery of the turn is refused (the platform sends them again).
   */
  acceptSoon(delivery: InboxDelivery, options: { claim?: boolean } = {}): Promise<{ id: number } | null> {
    return new Promise((resolve, reject) => {
      this.arriving.push({ delivery, claim: options.claim === true, resolve, reject });
      if (this.arriving.length === 1) setImmediate(() => this.storeArrived());
    });
  }

  private storeArrived(): void {
    const arrived = this.arriving;
    this.arriving = [];
    let stored: ({ id: number } | null)[];
    try {
      stored = this.storeAll(arrived);
    } catch (error) {
      for (const one of arrived) one.reject(error);
      return;
    }
    arrived.forEach((one, i) => one.resolve(stored[i]));
  }

  /** The outcome of a row once applied (by any process or thread), else null. */
  outcomeOf(id: number): ApplyOutcome | null {
    return (this.statements.outcome.get(id) as { outcome: string } | undefined)?.outcome ?? null;
  }

  pendingCount(): number {
    return (this.statements.pending.get() as { n: number }).n;
  }

  /** Gives claims of this inbox back (their holder is gone), so the next drain takes the rows at once. */
  release(ids: number[]): void {
    const release = this.sqlite.transaction(() => {
      for (const id of ids) this.statements.release.run(id, this.owner);
    });
    release();
  }

  /** Whether anything waits to be applied (an index probe, cheap enough for every request). */
  hasPending(): boolean {
    return this.statements.anyPending.get() !== undefined;
  }

  /**
   * Applies one stored row right now, unless another drain has it; resolves with its outcome, or
   * null when someone else has it or applying failed (it stays in the inbox and is retried).
   */
  async applyNow(id: number): Promise<ApplyOutcome | null> {
    const now = this.clock();
    const row = this.statements.claimOne.get(this.owner, now + this.leaseMs, id, now, this.owner) as InboxRow | undefined;
    if (!row) return null;
    crashPoint("inbox:after-claim");
    const [outcome] = await this.applyRows([row]);
    return outcome;
  }

  /** Whether this inbox's drain is applying rows right now. */
  isDraining(): boolean {
    return this.draining !== null;
  }

  /** Starts draining if this process is not already; resolves when nothing claimable is left. */
  drain(): Promise<void> {
    this.draining ??= this.drainLoop().finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  /** Drains now and then every `everyMs`: new rows, retries due, and expired claims of the dead. */
  start(everyMs = 2_000): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.drain(), everyMs);
    this.timer.unref();
    void this.drain();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.draining;
    this.sqlite.close();
  }

  /** Applies rows and records each outcome; a failed row is retried later with backoff. */
  private async applyRows(rows: InboxRow[]): Promise<(ApplyOutcome | null)[]> {
    let results: (ApplyOutcome | Error)[];
    try {
      results = await this.apply(rows);
    } catch (error) {
      results = rows.map(() => (error instanceof Error ? error : new Error(String(error))));
    }
    this.settle(rows, results);
    return results.map((result) => (result instanceof Error ? null : result));
  }

  /**
   * Records what applying rows claimed by this inbox gave, in one transaction: an outcome marks a
   * row done, an Error schedules its retry with backoff. Rows applied elsewhere (handed to another
   * thread, see ingest.server.ts) are settled here by the inbox that claimed them.
   */
  settle(rows: Pick<InboxRow, "id" | "attempts" | "source" | "shop" | "topic">[], results: (ApplyOutcome | Error)[]): void {
    const now = this.clock();
    const record = this.sqlite.transaction(() => {
      rows.forEach((row, i) => {
        const result = results[i] ?? new Error("no outcome");
        if (!(result instanceof Error)) {
          this.statements.done.run(now, result, row.id, this.owner);
          return;
        }
        this.statements.failed.run(now + backoffMs(row.attempts + 1), result.message.slice(0, 2000), row.id, this.owner);
        console.error(JSON.stringify({ msg: "inbox delivery failed, will retry", id: row.id, source: row.source, shop: row.shop, topic: row.topic, attempts: row.attempts + 1, error: result.message }));
      });
    });
    record();
  }

  private async drainLoop(): Promise<void> {
    for (;;) {
      const now = this.clock();
      // Look before claiming: the claim is a write, and an idle drain should not take the lock.
      if (this.statements.claimable.get(now, now) === undefined) break;
      const rows = this.statements.claim.all(this.owner, now + this.leaseMs, now, now, BATCH) as InboxRow[];
      if (rows.length === 0) break;
      rows.sort((a, b) => a.id - b.id);
      crashPoint("inbox:after-claim");
      await this.applyRows(rows);
      // SQLite answers synchronously, so applying runs on microtasks alone; give the event loop a
      // turn between batches (messages from the main thread, timers).
      await new Promise((resolve) => setImmediate(resolve));
    }
    // The answering thread's connection does not checkpoint (see the constructor), and with rows
    // handed off in memory this connection may not commit for a long time: without this, the WAL
    // would grow without end (and every read walk it). Passive: it never blocks the writer.
    if (this.checkpoints) this.sqlite.pragma("wal_checkpoint(PASSIVE)");
    const now = this.clock();
    if (now - this.lastPurge > 3600_000) {
      this.lastPurge = now;
      this.statements.purge.run(now - RETENTION_MS);
    }
  }
}
