import { copyFileSync } from "node:fs";
import path from "node:path";
import { inject } from "vitest";
import { TEST_APP_SETTINGS } from "./app-server";
import { testTempDir } from "./temp";

/**
 * A migrated SQLite file of the test's own (a copy of the run's template). Kept apart from the
 * Prisma client so a test can set DATABASE_URL before anything loads app/db.server.ts.
 */
export function freshDatabaseFile(): string {
  const dir = testTempDir("db-");
  const file = path.join(dir, "test.sqlite");
  copyFileSync(inject("templateDatabase"), file);
  return file;
}

/**
 * A fresh database and the test app's Shopify settings, put in process.env for the app's modules
 * this test loads itself: call it before importing any of them (with `await import`).
 */
export function appTestEnvironment(): { databaseFile: string; databaseUrl: string } {
  const databaseFile = freshDatabaseFile();
  const databaseUrl = `file:${databaseFile}`;
  Object.assign(process.env, TEST_APP_SETTINGS, { DATABASE_URL: databaseUrl });
  return { databaseFile, databaseUrl };
}
