import { PrismaClient, Prisma } from "@prisma/client";
import { sqliteAdapter } from "./db/sqlite-driver.server";

export type Db = PrismaClient;
export type Tx = Prisma.TransactionClient;

declare global {
  // eslint-disable-next-line no-var
  var tierwisePrisma: PrismaClient | undefined;
}

export function databaseUrl(): string {
  return process.env.DATABASE_URL ?? "file:./prisma/dev.sqlite";
}

/** A client on a given database; the app uses the one default client below. */
export function createDatabaseClient(url = databaseUrl()): PrismaClient {
  return new PrismaClient({
    adapter: sqliteAdapter(url),
    // Transactions queue behind one connection lock; under a burst of webhooks the wait can be
    // longer than Prisma's 2 s default.
    transactionOptions: { maxWait: 30_000, timeout: 30_000 },
  });
}

// One client per process (the dev server reloads modules, so keep it on globalThis).
const db: PrismaClient = globalThis.tierwisePrisma ?? createDatabaseClient();
if (process.env.NODE_ENV !== "production") globalThis.tierwisePrisma = db;

export default db;
