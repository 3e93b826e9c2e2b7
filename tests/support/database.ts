import { createDatabaseClient } from "../../app/db.server";
import { freshDatabaseFile } from "./database-file";

export { freshDatabaseFile };

/** A migrated SQLite file of the test's own, with a Prisma client on it. */
export function freshDatabase() {
  const file = freshDatabaseFile();
  return { file, url: `file:${file}`, db: createDatabaseClient(`file:${file}`) };
}
