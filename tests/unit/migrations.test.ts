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

  it("leave the hand-written partial index of unspent credits in place, and SQLite plans the batch passes' reads on the right index", () => {
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
      // The candidates' unspent credits: the batch index no longer holds "remaining", this one does.
      const credits = db
        .prepare(`EXPLAIN QUERY PLAN SELECT "memberId", "occurredAt", "remaining", "expiresAt" FROM "LedgerEntry" WHERE "memberId" IN (?, ?) AND "remaining" > 0`)
        .all("a", "b") as { detail: string }[];
      expect(credits.map((step) => step.detail).join("\n")).toContain("COVERING INDEX LedgerEntry_unspent_idx");
      // And the tier pass's sums over a period still come from the batch index alone.
      const sums = db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT "memberId", SUM("points" - "waivedPoints") FROM "LedgerEntry"
           WHERE "memberId" >= ? AND "memberId" <= ? AND "occurredAt" >= ? AND "qualifying" = 1 GROUP BY "memberId"`,
        )
        .all("a", "z", "2025") as { detail: string }[];
      expect(sums.map((step) => step.detail).join("\n")).toContain("COVERING INDEX LedgerEntry_member_batch_idx");
    } finally {
      db.close();
    }
  });
});
