import { copyFileSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { createDatabaseClient } from "../../app/db.server";

/** A migrated SQLite file of the test's own (a copy of the run's template). */
export function freshDatabaseFile(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tierwise-db-"));
  const file = path.join(dir, "test.sqlite");
  copyFileSync(inject("templateDatabase"), file);
  return file;
}

export function freshDatabase() {
  const file = freshDatabaseFile();
  return { file, url: `file:${file}`, db: createDatabaseClient(`file:${file}`) };
}
