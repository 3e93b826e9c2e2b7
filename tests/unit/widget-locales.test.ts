import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** The widget's strings live in the theme extension's locales: complete in en, pl and cs. */
const dir = path.resolve(import.meta.dirname, "../../extensions/tierwise-theme");
const read = (file: string) => JSON.parse(readFileSync(path.join(dir, "locales", file), "utf8"));
const flatten = (tree: Record<string, unknown>, prefix = ""): Record<string, string> =>
  Object.entries(tree).reduce<Record<string, string>>((all, [key, value]) => {
    const name = prefix ? `${prefix}.${key}` : key;
    return typeof value === "string" ? { ...all, [name]: value } : { ...all, ...flatten(value as Record<string, unknown>, name) };
  }, {});
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("widget locales", () => {
  for (const [kind, en, others] of [
    ["storefront", "en.default.json", ["pl.json", "cs.json"]],
    ["theme editor", "en.default.schema.json", ["pl.schema.json", "cs.schema.json"]],
  ] as const) {
    it(`have every ${kind} string in Polish and Czech, translated, with the same placeholders`, () => {
      const english = flatten(read(en));
      for (const file of others) {
        const strings = flatten(read(file));
        expect(Object.keys(strings).sort()).toEqual(Object.keys(english).sort());
        const same = Object.keys(english).filter((key) => strings[key] === english[key] && !/\{n\}|^Tierwise$/.test(english[key]));
        expect(same.length, `${file} copies English: ${same.join(", ")}`).toBeLessThanOrEqual(2);
        for (const key of Object.keys(english)) {
          expect(strings[key].trim()).not.toBe("");
          expect(placeholders(strings[key]), `${file} ${key}`).toEqual(placeholders(english[key]));
        }
      }
    });
  }

  it("are all handed to the script by the snippet, and the snippet asks for no missing key", () => {
    const snippet = readFileSync(path.join(dir, "snippets/tierwise-root.liquid"), "utf8");
    const listed = /assign keys = '([^']+)' \| split/.exec(snippet)![1].split(",");
    expect(listed.sort()).toEqual(Object.keys(read("en.default.json").tierwise).sort());
  });
});
