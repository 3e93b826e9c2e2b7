import { readFileSync } from "node:fs";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { freshDatabaseFile } from "../support/database-file";

describe("migrations", () => {
  it("cover every change to prisma/schema.prisma (make one with npm run db:diff -- <name>)", () => {
    const schema = readFileSync("prisma/schema.prisma", "utf8");
    const migrated = readFileSync("prisma/migrations/schema.at-latest-migration.prisma", "utf8");
    expect(schema).toBe(migrated);
  });

  it("leave the hand-written partial index of unspent credits in place, and SQLite plans the expiry pass's reads on it", () => {
    const db = new Database(freshDatabaseFile(), { readonly: true });
    try {
      const index = db.prepare(`SELECT "sql" FROM sqlite_master WHERE type = 'index' AND name = 'LedgerEntry_unspent_idx'`).pluck().get() as string | undefined;
      expect(index).toMatch(/ON "LedgerEntry"\("memberId", "occurredAt", "expiresAt", "remaining"\) WHERE "remaining" > 0$/);
      const plan = db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT DISTINCT "memberId" FROM "LedgerEntry" WHERE "memberId" >= ? AND "memberId" <= ? AND "remaining" > 0
           AND (("expiresAt" IS NULL AND "occurredAt" < ?) OR "expiresAt" <= ?)`,
        )
        .all("a", "z", "2026", "2026") as { detail: string }[];
      expect(plan.map((step) => step.detail).join("\n")).toContain("COVERING INDEX LedgerEntry_unspent_idx");
    } finally {
      db.close();
    }
  });
});
