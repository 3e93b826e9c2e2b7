import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MODELS_WITHOUT_GENERATED_ID, newId, shapeOf, sqlDate, type Model } from "../../app/db/sql.server";

/** Each model's fields that Prisma fills at insert, read from the schema itself. */
function schemaDefaults() {
  const text = readFileSync(new URL("../../prisma/schema.prisma", import.meta.url), "utf8");
  const models = new Map<string, { ids: string[]; stamps: string[] }>();
  let current: { ids: string[]; stamps: string[] } | null = null;
  for (const line of text.split("\n")) {
    const open = /^model (\w+) \{/.exec(line);
    if (open) models.set(open[1], (current = { ids: [], stamps: [] }));
    else if (/^\}/.test(line)) current = null;
    else if (current) {
      const field = /^\s+(\w+)\s+\S+/.exec(line)?.[1];
      if (!field || line.trim().startsWith("//")) continue;
      if (/@default\((cuid|uuid)\(/.test(line)) current.ids.push(field);
      if (/@default\(now\(\)\)|@updatedAt/.test(line)) current.stamps.push(field);
    }
  }
  return models;
}

describe("plain SQL beside Prisma", () => {
  it("fills every id and now() default the schema declares, and no others", () => {
    for (const [model, declared] of schemaDefaults()) {
      const shape = shapeOf(model as Model);
      expect({ model, ids: shape.generatedIds }).toEqual({ model, ids: declared.ids });
      expect({ model, stamps: [...shape.stampedOnCreate].sort() }).toEqual({ model, stamps: [...declared.stamps].sort() });
      if (declared.ids.length === 0) expect(MODELS_WITHOUT_GENERATED_ID.has(model as Model) || !shape.generatedIds.length).toBe(true);
    }
  });

  it("writes dates as Prisma's SQLite adapter does, so text order is time order", () => {
    expect(sqlDate(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)))).toBe("2026-01-02T03:04:05.006+00:00");
    const earlier = sqlDate(new Date(Date.UTC(2025, 11, 31, 23, 59, 59, 999)));
    expect(earlier < sqlDate(new Date(Date.UTC(2026, 0, 1)))).toBe(true);
  });

  it("gives the right text when the instant it remembers comes again, in another Date or after another instant or an invalid date", () => {
    const a = new Date("2026-12-06T01:02:03.004Z");
    expect(sqlDate(a)).toBe("2026-12-06T01:02:03.004+00:00");
    expect(sqlDate(new Date(a.getTime()))).toBe("2026-12-06T01:02:03.004+00:00");
    expect(sqlDate(new Date("1999-01-01T00:00:00.000Z"))).toBe("1999-01-01T00:00:00.000+00:00");
    expect(sqlDate(a)).toBe("2026-12-06T01:02:03.004+00:00");
    // An invalid date throws each time (it is never remembered), and leaves the last one intact.
    expect(() => sqlDate(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => sqlDate(new Date(Number.NaN))).toThrow(RangeError);
    expect(sqlDate(a)).toBe("2026-12-06T01:02:03.004+00:00");
  });

  it("makes ids that are unique and sort in the order they were made", () => {
    const ids = Array.from({ length: 20_000 }, newId);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});
