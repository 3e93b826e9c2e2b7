import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { signPluginRequest, verifyPluginSignature } from "../../woo-bridge/src/plugin-signature";
import { hasPhp, phpSignedHeaders, PLUGIN_DIR } from "../support/php";

/**
 * The WordPress plugin: valid PHP, a standard plugin header and readme, translations for pl_PL and
 * cs_CZ covering every string, and a signing function that the app's verification accepts.
 * The PHP parts run only where the PHP CLI is installed (CI installs php-cli).
 */
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [full];
  });
const phpFiles = files(PLUGIN_DIR).filter((f) => f.endsWith(".php"));

describe("the plugin's files", () => {
  it("has a standard header, readme, uninstall cleanup and block", () => {
    const main = readFileSync(path.join(PLUGIN_DIR, "tierwise.php"), "utf8");
    for (const header of ["Plugin Name:", "Version:", "Requires at least:", "Requires PHP:", "License:", "Text Domain:       tierwise", "Domain Path:       /languages"]) {
      expect(main).toContain(header);
    }
    const readme = readFileSync(path.join(PLUGIN_DIR, "readme.txt"), "utf8");
    expect(readme).toMatch(/^=== Tierwise Loyalty ===/);
    expect(readme).toMatch(/Stable tag: 0\.1\.0/);
    expect(readFileSync(path.join(PLUGIN_DIR, "uninstall.php"), "utf8")).toContain("delete_option( 'tierwise_settings' )");
    const block = JSON.parse(readFileSync(path.join(PLUGIN_DIR, "blocks/loyalty/block.json"), "utf8"));
    expect(block).toMatchObject({ name: "tierwise/loyalty", textdomain: "tierwise" });
  });

  it("translates every string into Polish and Czech", () => {
    const pot = readFileSync(path.join(PLUGIN_DIR, "languages/tierwise.pot"), "utf8");
    const msgids = [...pot.matchAll(/^msgid "(.+)"$/gm)].map((m) => m[1]);
    const used = phpFiles.flatMap((f) => [...readFileSync(f, "utf8").matchAll(/(?:__|_e|esc_html__|esc_html_e|esc_attr__|esc_attr_e)\( '([^']+)', 'tierwise' \)/g)].map((m) => m[1]));
    for (const text of used) expect(msgids).toContain(text);
    for (const locale of ["pl_PL", "cs_CZ"]) {
      const po = readFileSync(path.join(PLUGIN_DIR, `languages/tierwise-${locale}.po`), "utf8");
      const pairs = [...po.matchAll(/^msgid "(.+)"\nmsgstr "(.*)"$/gm)];
      expect(pairs.map((p) => p[1]).sort()).toEqual([...msgids].sort());
      for (const [, id, str] of pairs) {
        expect(str, `${locale}: ${id}`).not.toBe("");
        if (id !== "Tierwise") expect(str, `${locale}: ${id}`).not.toBe(id);
      }
      expect(existsSync(path.join(PLUGIN_DIR, `languages/tierwise-${locale}.mo`))).toBe(true);
    }
    expect(readFileSync(path.join(PLUGIN_DIR, "languages/tierwise-pl_PL.po"), "utf8")).toContain("lojalnościowe");
    expect(readFileSync(path.join(PLUGIN_DIR, "languages/tierwise-cs_CZ.po"), "utf8")).toContain("věrnostní");
  });

  it("renders the widget's texts as the theme extension does, in every language", () => {
    const source = readFileSync(path.join(PLUGIN_DIR, "includes/widget-strings.php"), "utf8");
    const english = Object.fromEntries([...source.matchAll(/'(\w+)' => _x\( '((?:[^'\\]|\\.)*)', 'widget \1', 'tierwise' \)/g)].map((m) => [m[1], m[2].replace(/\\'/g, "'")]));
    expect(Object.keys(english).length).toBeGreaterThanOrEqual(40);
    const translated = (locale: string) => {
      const po = readFileSync(path.join(PLUGIN_DIR, `languages/tierwise-${locale}.po`), "utf8");
      return Object.fromEntries([...po.matchAll(/^msgctxt "widget (\w+)"\nmsgid ".*"\nmsgstr "(.*)"$/gm)].map((m) => [m[1], m[2].replace(/\\"/g, '"')]));
    };
    const pl = translated("pl_PL");
    const cs = translated("cs_CZ");
    expect(Object.keys(pl).sort()).toEqual(Object.keys(english).sort());
    expect(Object.keys(cs).sort()).toEqual(Object.keys(english).sort());
    expect(pl.points_many).toBe("{n} punktów");
    expect(cs.points_few).toBe("{n} body");
    // The same texts as the Shopify theme extension, wherever its locales are present.
    const locales = path.resolve(PLUGIN_DIR, "../../../extensions/tierwise-theme/locales");
    for (const [file, texts] of [["en.default.json", english], ["pl.json", pl], ["cs.json", cs]] as const) {
      if (!existsSync(path.join(locales, file))) continue;
      expect(texts).toEqual(JSON.parse(readFileSync(path.join(locales, file), "utf8")).tierwise);
    }
  });

  it("ships the same widget files as the theme extension, when the widget is built", () => {
    const source = path.resolve(PLUGIN_DIR, "../../../extensions/tierwise-theme/assets");
    for (const file of ["tierwise-widget.js", "tierwise-widget.css"]) {
      if (!existsSync(path.join(source, file))) continue;
      const copy = path.join(PLUGIN_DIR, "assets", file);
      expect(existsSync(copy), `${file}: run node woo-bridge/wordpress-plugin/sync-widget.mjs`).toBe(true);
      expect(readFileSync(copy, "utf8")).toBe(readFileSync(path.join(source, file), "utf8"));
    }
  });
});

describe.skipIf(!hasPhp)("the plugin under PHP", () => {
  it("passes php -l on every file", () => {
    expect(phpFiles.length).toBeGreaterThanOrEqual(6);
    for (const file of phpFiles) {
      expect(execFileSync("php", ["-l", file], { encoding: "utf8" })).toContain("No syntax errors detected");
    }
  });

  it("signs requests exactly as the app verifies them", () => {
    const now = Math.floor(Date.now() / 1000);
    const cases = [
      { customer: "7", method: "GET", path: "/woo/storefront/abc/status", body: "" },
      { customer: "", method: "GET", path: "/woo/storefront/abc/status", body: "" },
      { customer: "123456", method: "POST", path: "/prefix/woo/storefront/abc/redeem", body: '{"rewardId":"r1","requestId":"req-żółć-0001","points":200}' },
    ];
    for (const c of cases) {
      const headers = phpSignedHeaders("plugin-secret_ABC-123", c.customer, c.method, c.path, c.body, now);
      expect(headers["X-Tierwise-Customer"]).toBe(c.customer);
      expect(headers["X-Tierwise-Timestamp"]).toBe(String(now));
      expect(headers["X-Tierwise-Signature"]).toBe(signPluginRequest("plugin-secret_ABC-123", String(now), c.customer, c.method, c.path, c.body));
      const request = { timestamp: headers["X-Tierwise-Timestamp"], customerId: headers["X-Tierwise-Customer"], signature: headers["X-Tierwise-Signature"], method: c.method, path: c.path, body: c.body };
      expect(verifyPluginSignature("plugin-secret_ABC-123", request, now)).toBe(true);
      expect(verifyPluginSignature("another-secret", request, now)).toBe(false);
      expect(verifyPluginSignature("plugin-secret_ABC-123", { ...request, customerId: "99" }, now)).toBe(false);
    }
  });
});
