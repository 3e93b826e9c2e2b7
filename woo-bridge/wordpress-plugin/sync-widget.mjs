#!/usr/bin/env node
// Copies the shared storefront widget (built by the theme extension, extensions/tierwise-theme/
// assets) into the WordPress plugin, which must ship its own copy: a plugin can only serve files
// from its own folder. Run after rebuilding the widget; tests/integration/woo-plugin.test.ts checks
// the copies match.
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");
const from = path.join(root, "extensions/tierwise-theme/assets");
const to = path.join(import.meta.dirname, "tierwise/assets");
mkdirSync(to, { recursive: true });
for (const file of ["tierwise-widget.js", "tierwise-widget.css"]) {
  if (!existsSync(path.join(from, file))) {
    console.error(`missing ${path.join(from, file)}: build the widget first`);
    process.exitCode = 1;
    continue;
  }
  copyFileSync(path.join(from, file), path.join(to, file));
  console.log(`copied ${file}`);
}
