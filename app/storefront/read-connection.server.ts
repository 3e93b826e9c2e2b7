import Database from "better-sqlite3";
import { fileURLToPath } from "node:url";
import { databaseUrl } from "../db.server";
import { Sql } from "../db/sql.server";

/**
 * A connection of its own on the main database file for the storefront's reads: WAL lets it read
 * beside the writer (Prisma's connection, the inbox worker's) without waiting for a ledger
 * transaction, and statements are prepared once (app/db/sql.server.ts). It never writes
 * (query_only). It is better-sqlite3, the same SQLite library copy as Prisma's adapter, so the two
 * connections share SQLite's per-process locks correctly. Opened on first use, closed by
 * closeStorefrontReads (server.mjs calls it on shutdown).
 */

/**
 * WAL readers do not wait for writers; they can meet a lock only while another connection rebuilds
 * the WAL index (after a crash). better-sqlite3 waits synchronously, holding up the thread that
 * answers every request, so the wait is short: past it the request fails (500) rather than stall.
 */
const READ_BUSY_TIMEOUT_MS = 2_000;

export interface ReadConnection {
  sql: Sql;
  /** Runs `work` in one read transaction: every statement in it sees the same snapshot. */
  snapshot<T>(work: () => T): T;
  /** Changes whenever another connection has committed to the database since the last call's value. */
  dataVersion(): number;
}

declare global {
  // eslint-disable-next-line no-var
  var tierwiseStorefrontReads: { url: string; connection: Database.Database; reads: ReadConnection } | undefined;
}

export function databaseFile(url = databaseUrl()): string {
  return url.startsWith("file://") ? fileURLToPath(url) : url.replace(/^file:/, "");
}

/** The process's storefront read connection, opened on first use (and again after a close). */
export function storefrontReads(): ReadConnection {
  const url = databaseUrl();
  const open = globalThis.tierwiseStorefrontReads;
  if (open && open.url === url) return open.reads;
  if (open) open.connection.close();
  // Read-write open with query_only rather than readonly: a read-only connection cannot create the
  // WAL index (-shm) when it is the first to open the file.
  const connection = new Database(databaseFile(url), { fileMustExist: true, timeout: READ_BUSY_TIMEOUT_MS });
  connection.pragma("query_only = ON");
  const sql = new Sql(connection);
  const inTransaction = connection.transaction((work: () => unknown) => work());
  const reads: ReadConnection = {
    sql,
    snapshot: <T>(work: () => T) => inTransaction(work) as T,
    dataVersion: () => sql.get<{ data_version: number }>("PRAGMA data_version")!.data_version,
  };
  // The dev server reloads modules; one connection per process, like app/db.server.ts's client.
  globalThis.tierwiseStorefrontReads = { url, connection, reads };
  return reads;
}

export function closeStorefrontReads(): void {
  const open = globalThis.tierwiseStorefrontReads;
  globalThis.tierwiseStorefrontReads = undefined;
  open?.connection.close();
}
