#!/usr/bin/env node
// Builds the storefront widget from app/widget (TypeScript and CSS) into the theme extension's
// assets: extensions/tierwise-theme/assets/tierwise-widget.js and .css. The output is committed
// (Shopify serves the extension's assets as they are); tests/unit/widget-build.test.ts fails when
// it is older than the source.
//
//   node scripts/build-widget.mjs          write the assets
//   node scripts/build-widget.mjs --check  exit 1 if the committed assets differ from a fresh build
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const WIDGET_ASSETS = {
  js: path.join(root, "extensions/tierwise-theme/assets/tierwise-widget.js"),
  css: path.join(root, "extensions/tierwise-theme/assets/tierwise-widget.css"),
};
// Browsers of the last few years: optional chaining and ||= are lowered, nothing is polyfilled.
const TARGET = ["chrome90", "edge90", "firefox90", "safari14"];

/** The built widget as strings (deterministic: the same source gives the same bytes). */
export async function buildWidget() {
  const js = await esbuild.build({
    entryPoints: [path.join(root, "app/widget/main.ts")],
    bundle: true,
    minify: true,
    format: "iife",
    target: TARGET,
    legalComments: "none",
    write: false,
    logLevel: "silent",
  });
  const css = await esbuild.transform(readFileSync(path.join(root, "app/widget/widget.css"), "utf8"), {
    loader: "css",
    minify: true,
    target: TARGET,
  });
  return { js: js.outputFiles[0].text, css: css.code };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const built = await buildWidget();
  if (process.argv.includes("--check")) {
    const stale = Object.entries(WIDGET_ASSETS).filter(([kind, file]) => {
      try {
        return readFileSync(file, "utf8") !== built[kind];
      } catch {
        return true;
      }
    });
    if (stale.length) {
      console.error(`out of date: ${stale.map(([, f]) => path.relative(root, f)).join(", ")}; run node scripts/build-widget.mjs`);
      process.exit(1);
    }
    console.log("widget assets are up to date");
  } else {
    for (const [kind, file] of Object.entries(WIDGET_ASSETS)) writeFileSync(file, built[kind]);
    console.log(`wrote ${Object.values(WIDGET_ASSETS).map((f) => path.relative(root, f)).join(", ")}`);
  }
}
