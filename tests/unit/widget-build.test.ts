import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { buildWidget, WIDGET_ASSETS } from "../../scripts/build-widget.mjs";

/** The theme extension ships the built widget; it must be what the source builds today. */
describe("storefront widget assets", () => {
  it("are up to date with app/widget (run node scripts/build-widget.mjs)", async () => {
    const built = (await buildWidget()) as { js: string; css: string };
    expect(readFileSync(WIDGET_ASSETS.js, "utf8")).toBe(built.js);
    expect(readFileSync(WIDGET_ASSETS.css, "utf8")).toBe(built.css);
  });

  it("scope every CSS rule to the widget, so the theme's own styles are untouched", () => {
    const css = readFileSync(WIDGET_ASSETS.css, "utf8");
    const selectors = [...css.matchAll(/(?:^|})([^{}@]+)\{/g)].flatMap((m) => m[1].split(","));
    expect(selectors.length).toBeGreaterThan(20);
    for (const selector of selectors) expect(selector.trim(), selector).toMatch(/^\.tw[-\s.:[>,]|^\.tw$|^\.tw\b/);
    expect(css).not.toMatch(/@import|:root/);
  });

  it("stay within the budget of 6 KB gzipped for JS and CSS together (figures: node bench/widget-size.mjs)", () => {
    const gzipped = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;
    expect(gzipped(WIDGET_ASSETS.js) + gzipped(WIDGET_ASSETS.css)).toBeLessThanOrEqual(6000);
  });

  it("carry no dictionary: every shopper-facing string comes from the page", () => {
    const js = readFileSync(WIDGET_ASSETS.js, "utf8");
    for (const phrase of ["Redeem", "points away", "Odbierz", "Uplatnit", "Rewards"]) expect(js).not.toContain(phrase);
  });
});
