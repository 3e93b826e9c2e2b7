import { statSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { createDatabaseClient, databaseFile } from "../../app/db.server";
import { BACKGROUND_CHECKPOINTS_ENV, FALLBACK_AUTOCHECKPOINT_PAGES, startCheckpointer, type Checkpointer } from "../../app/db/checkpointer.server";
import { sqlOf } from "../../app/loyalty/transaction.server";
import { freshDatabaseFile } from "../support/database-file";

// The main database's WAL checkpoints in a thread of their own (app/db/checkpointer.server.ts):
// connections opened while one runs leave the checkpoints to it, and it copies the log into the
// database file while the writer goes on.

const stops: Checkpointer[] = [];
afterAll(async () => {
  for (const checkpointer of stops) await checkpointer.stop();
  delete process.env[BACKGROUND_CHECKPOINTS_ENV];
});

async function until(condition: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("background WAL checkpoints", () => {
  it("resolves the database file of a SQLite URL", () => {
    expect(databaseFile("file:/tmp/a/b.sqlite")).toBe("/tmp/a/b.sqlite");
    expect(databaseFile("file:///tmp/a/b.sqlite")).toBe("/tmp/a/b.sqlite");
    expect(databaseFile("file:/tmp/a/b.sqlite?connection_limit=1")).toBe("/tmp/a/b.sqlite");
    expect(databaseFile("file:./prisma/dev.sqlite")).toBe(`${process.cwd()}/prisma/dev.sqlite`);
  });

  it("copies a writer's log into the database file while the writer leaves it alone", async () => {
    const file = freshDatabaseFile();
    const checkpointer = startCheckpointer(file, { everyMs: 20 });
    stops.push(checkpointer);
    const db = createDatabaseClient(`file:${file}`);
    try {
      // A connection opened now checkpoints itself only past the fallback.
      const pages = await db.$transaction(async (tx) => sqlOf(tx).all<{ wal_autocheckpoint: number }>("PRAGMA wal_autocheckpoint"));
      expect(pages[0].wal_autocheckpoint).toBe(FALLBACK_AUTOCHECKPOINT_PAGES);

      // Stop the checkpoints for the write, to see that the writer itself does not copy its log
      // (2,000 pages: past SQLite's default of 1,000, where the writer would).
      await checkpointer.stop();
      const before = statSync(file).size;
      await db.$transaction(async (tx) => {
        const sql = sqlOf(tx);
        sql.run(`CREATE TABLE "Scratch" ("text" TEXT NOT NULL)`);
        for (let i = 0; i < 2_000; i++) sql.run(`INSERT INTO "Scratch" ("text") VALUES (?)`, `${i}`.padEnd(4_000, "x"));
      });
      expect(statSync(file).size).toBe(before);
      expect(statSync(`${file}-wal`).size).toBeGreaterThan(2_000 * 4_096);

      // A checkpointer copies it without anyone writing.
      stops.push(startCheckpointer(file, { everyMs: 20 }));
      await until(() => statSync(file).size >= before + 2_000 * 4_000);
    } finally {
      await db.$disconnect();
    }
  });
});
