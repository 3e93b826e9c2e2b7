import { PrismaClient, Prisma } from "@prisma/client";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sqliteAdapter, type SqliteAdapterFactory } from "./db/sqlite-driver.server";
import type { Sql } from "./db/sql.server";

export type Db = PrismaClient;
export type Tx = Prisma.TransactionClient;

declare global {
  // eslint-disable-next-line no-var
  var tierwisePrisma: PrismaClient | undefined;
}

export function databaseUrl(): string {
  return process.env.DATABASE_URL ?? "file:./prisma/dev.sqlite";
}

/** The file of a SQLite URL ("file:./prisma/dev.sqlite", "file:///tmp/x.sqlite"), resolved against the working directory. */
export function databaseFile(url = databaseUrl()): string {
  return path.resolve(url.startsWith("file://") ? fileURLToPath(url) : url.replace(/^file:/, "").replace(/\?.*$/, ""));
}

/** A client on a given database; the app uses the one default client below. */
export function createDatabaseClient(url = databaseUrl()): PrismaClient {
  const adapter = sqliteAdapter(url);
  const client = new PrismaClient({
    adapter,
    // Transactions queue behind one connection lock; under a burst of webhooks the wait can be
    // longer than Prisma's 2 s default.
    transactionOptions: { maxWait: 30_000, timeout: 30_000 },
  });
  bindSqlToTransactions(client, adapter);
  return client;
}

const transactionSql = new WeakMap<object, Sql>();

/**
 * Every interactive transaction of the client gets plain SQL on its connection (sqlOf). The
 * adapter's lock is held for the whole transaction, so those statements are part of it.
 */
function bindSqlToTransactions(client: PrismaClient, adapter: SqliteAdapterFactory) {
  const transaction = client.$transaction.bind(client) as (...args: unknown[]) => Promise<unknown>;
  const bound = (arg: unknown, options?: unknown) => {
    if (typeof arg !== "function") return transaction(arg, options);
    return transaction(async (tx: Tx) => {
      const sql = adapter.sql();
      if (!sql) throw new Error("the database adapter has not connected");
      transactionSql.set(tx, sql);
      return (arg as (tx: Tx) => Promise<unknown>)(tx);
    }, options);
  };
  Object.defineProperty(client, "$transaction", { value: bound, configurable: true, writable: true });
}

/**
 * Plain SQL inside a transaction: the same connection and the same SQLite transaction as `tx`
 * (see app/db/sql.server.ts). Only a transaction holds the connection's lock, so only a
 * transaction's client has it.
 */
export function sqlOf(tx: Tx): Sql {
  const sql = transactionSql.get(tx);
  if (!sql) throw new Error("plain SQL needs an interactive transaction of a client made by createDatabaseClient");
  return sql;
}

// One client per process (the dev server reloads modules, so keep it on globalThis).
const db: PrismaClient = globalThis.tierwisePrisma ?? createDatabaseClient();
if (process.env.NODE_ENV !== "production") globalThis.tierwisePrisma = db;

export default db;
