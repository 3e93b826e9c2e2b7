import type {
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQuery,
  Transaction,
} from "@prisma/driver-adapter-utils";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type Database from "better-sqlite3";
import { autocheckpointPages } from "./checkpointer.server";
import { Sql } from "./sql.server";

/**
 * The better-sqlite3 driver adapter shares one connection between interactive transactions and
 * plain queries, and only transactions take its lock: a plain write issued while a transaction is
 * open would land inside that transaction (and vanish with its rollback). This wrapper puts every
 * statement behind one lock, and opens transactions with BEGIN IMMEDIATE so that a second process
 * on the same file waits for the write lock (busy timeout) instead of failing its transaction
 * half-way with SQLITE_BUSY_SNAPSHOT. See docs/decisions/004-sqlite-default.md.
 */
class Lock {
  #tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const ready = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => next);
    return ready;
  }
}

const statement = (sql: string): SqlQuery => ({ sql, args: [], argTypes: [] });

function serialized(inner: SqlDriverAdapter): SqlDriverAdapter {
  const lock = new Lock();
  const guarded = async <T>(work: () => Promise<T>): Promise<T> => {
    const release = await lock.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  };
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    queryRaw: (query) => guarded(() => inner.queryRaw(query)),
    executeRaw: (query) => guarded(() => inner.executeRaw(query)),
    executeScript: (script) => guarded(() => inner.executeScript(script)),
    getConnectionInfo: inner.getConnectionInfo?.bind(inner),
    dispose: () => inner.dispose(),
    async startTransaction(isolationLevel): Promise<Transaction> {
      const release = await lock.acquire();
      let tx: Transaction;
      try {
        tx = await inner.startTransaction(isolationLevel);
      } catch (error) {
        release();
        throw error;
      }
      try {
        // The inner adapter opened a deferred transaction that has touched nothing yet.
        await tx.executeRaw(statement("ROLLBACK"));
        await tx.executeRaw(statement("BEGIN IMMEDIATE"));
      } catch (error) {
        await tx.rollback();
        release();
        throw error;
      }
      let finished = false;
      const finish = async (end: () => Promise<void>) => {
        if (finished) return;
        finished = true;
        try {
          await end();
        } finally {
          release();
        }
      };
      return {
        provider: tx.provider,
        adapterName: tx.adapterName,
        options: tx.options,
        queryRaw: (query) => tx.queryRaw(query),
        executeRaw: (query) => tx.executeRaw(query),
        commit: () => finish(() => tx.commit()),
        rollback: () => finish(() => tx.rollback()),
      };
    },
  };
}

/** The adapter factory, and once Prisma has connected, plain SQL on the same connection. */
export interface SqliteAdapterFactory extends SqlDriverAdapterFactory {
  sql(): Sql | null;
}

export function sqliteAdapter(url: string, busyTimeoutMs = 15_000): SqliteAdapterFactory {
  const factory = new PrismaBetterSQLite3({ url, timeout: busyTimeoutMs });
  let sql: Sql | null = null;
  return {
    sql: () => sql,
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      const adapter = await factory.connect();
      // WAL lets readers run beside the writer; NORMAL sync keeps every commit across a process
      // crash (only an OS crash can lose the last commits). Temporary storage in memory: every
      // delivery of a batch is applied in its own SAVEPOINT (processEvents), and SQLite keeps the
      // pages a savepoint changes in a sub-journal, by default a temporary file: a pwrite of each
      // page, 14% of the applying thread's CPU under a burst (perf). The sub-journal of one
      // delivery is a few pages.
      // With a checkpointer thread running (checkpointer.server.ts), this connection checkpoints
      // only past a log of FALLBACK_AUTOCHECKPOINT_PAGES.
      const pages = autocheckpointPages();
      await adapter.executeScript(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;" +
          (pages === null ? "" : ` PRAGMA wal_autocheckpoint = ${pages};`),
      );
      // The adapter's better-sqlite3 handle (a public field of its class). Statements on it are
      // only ever run while this wrapper's lock is held: inside a transaction (sqlOf(tx)).
      const client = (adapter as unknown as { client?: Database.Database }).client;
      if (!client || typeof client.prepare !== "function") throw new Error("the SQLite adapter has no better-sqlite3 client");
      sql = new Sql(client);
      return serialized(adapter);
    },
  };
}
