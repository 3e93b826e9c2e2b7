import { Prisma } from "@prisma/client";
import type { Db, Tx } from "../db.server";

export { sqlOf } from "../db.server";

/**
 * Runs `work` in one write transaction, again from the start when it lost a race: a unique-key
 * conflict (another process recorded the same event or entry first) or a busy database. The work
 * must be safe to repeat, which every loyalty write is: it re-reads what it decides on.
 */
export async function writeTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>, attempts = 6): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(work);
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}

/** A lost race (unique key taken by another process) or a busy database: worth running again. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (error.code === "P2002" || error.code === "P2034") return true;
  }
  const message = error instanceof Error ? error.message : String(error);
  return /SQLITE_BUSY|database is locked|deadlock|could not serialize/i.test(message);
}
