import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runThemeCheck } from "../../scripts/theme-check.mjs";

type Offense = { check: string; message: string };
const extension = path.resolve(import.meta.dirname, "../../extensions/tierwise-theme");

/** Shopify's theme-check (theme-app-extension rules), run offline with its bundled docsets. */
describe("theme check", () => {
  it("passes on the theme app extension", async () => {
    const { offenses, files } = (await runThemeCheck(extension)) as { offenses: Offense[]; files: number };
    expect(files).toBeGreaterThanOrEqual(9);
    expect(offenses.map((o) => `${o.check}: ${o.message}`)).toEqual([]);
  });

  it("does catch a mistake (a parser-blocking script and a missing translation)", async () => {
    const copy = mkdtempSync(path.join(os.tmpdir(), "tierwise-theme-check-"));
    try {
      cpSync(extension, copy, { recursive: true });
      writeFileSync(
        path.join(copy, "snippets", "broken.liquid"),
        `<script src="{{ 'tierwise-widget.js' | asset_url }}"></script>{{ 'tierwise.no_such_key' | t }}\n`,
      );
      const { offenses } = (await runThemeCheck(copy)) as { offenses: Offense[] };
      expect(offenses.map((o) => o.check)).toEqual(expect.arrayContaining(["ParserBlockingScript", "TranslationKeyExists"]));
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
