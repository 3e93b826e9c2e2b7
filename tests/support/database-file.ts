import { copyFileSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";

/**
 * A migrated SQLite file of the test's own (a copy of the run's template). Kept apart from the
 * Prisma client so a test can set DATABASE_URL before anything loads app/db.server.ts.
 */
export function freshDatabaseFile(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tierwise-db-"));
  const file = path.join(dir, "test.sqlite");
  copyFileSync(inject("templateDatabase"), file);
  return file;
}
