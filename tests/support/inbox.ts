import Database from "better-sqlite3";
import { inboxPath } from "../../app/inbox/inbox.server";

/** Deliveries stored in the webhook inbox of the database at `databaseUrl` and not yet applied. */
export function pendingDeliveries(databaseUrl: string): number {
  const sqlite = new Database(inboxPath(databaseUrl), { fileMustExist: true });
  try {
    return (sqlite.prepare("SELECT count(*) AS n FROM inbox WHERE processed_at IS NULL").get() as { n: number }).n;
  } finally {
    sqlite.close();
  }
}

/** Waits until the app processes have applied every stored delivery. */
export async function inboxDrained(databaseUrl: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (pendingDeliveries(databaseUrl) > 0) {
    if (Date.now() > deadline) throw new Error(`the webhook inbox did not drain in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
