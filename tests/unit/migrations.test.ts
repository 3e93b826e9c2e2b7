import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

describe("migrations", () => {
  it("cover every change to prisma/schema.prisma (make one with npm run db:diff -- <name>)", () => {
    const schema = readFileSync("prisma/schema.prisma", "utf8");
    const migrated = readFileSync("prisma/migrations/schema.at-latest-migration.prisma", "utf8");
    expect(schema).toBe(migrated);
  });
});
