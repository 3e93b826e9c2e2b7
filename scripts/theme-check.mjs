#!/usr/bin/env node
// Shopify's theme-check linter on the theme app extension, run offline through
// @shopify/theme-check-node's API (the package has no CLI binary). Prints every offense and exits 1
// when there is any.
//   node scripts/theme-check.mjs [extension dir]
import path from "node:path";
import { themeCheckRun } from "@shopify/theme-check-node";

const root = path.resolve(import.meta.dirname, "..");
const extension = path.resolve(process.argv[2] ?? path.join(root, "extensions/tierwise-theme"));
const SEVERITY = ["error", "warning", "info"];

export async function runThemeCheck(dir = extension) {
  const notes = [];
  const { offenses, theme } = await themeCheckRun(dir, path.join(dir, ".theme-check.yml"), (message) => notes.push(message));
  return { offenses, files: theme.length, notes };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const { offenses, files, notes } = await runThemeCheck();
  for (const note of notes) console.log(`  (${note})`);
  for (const o of offenses) {
    const file = path.relative(root, decodeURIComponent(new URL(o.uri).pathname));
    console.log(`${file}:${o.start.line + 1}:${o.start.character + 1} ${SEVERITY[o.severity] ?? o.severity} ${o.check}: ${o.message}`);
  }
  console.log(`theme-check: ${files} files, ${offenses.length} offense(s)`);
  if (offenses.length) process.exitCode = 1;
}
