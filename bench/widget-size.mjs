#!/usr/bin/env node
// Prints the storefront widget's size as shoppers download it: the built JS and CSS in the theme
// extension's assets, raw and gzipped (level 9, as CDNs serve them). Budget: JS + CSS <= 6 KB gzipped.
//   node bench/widget-size.mjs
import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

const root = path.resolve(import.meta.dirname, "..");
const BUDGET = 6000; // 6 KB, counted strictly
const files = ["tierwise-widget.js", "tierwise-widget.css"].map((name) => {
  const bytes = readFileSync(path.join(root, "extensions/tierwise-theme/assets", name));
  return { name, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
});
const total = files.reduce((sum, f) => ({ raw: sum.raw + f.raw, gzip: sum.gzip + f.gzip }), { raw: 0, gzip: 0 });
const pad = (text, width) => String(text).padStart(width);
console.log(`${"file".padEnd(22)} ${pad("raw B", 8)} ${pad("gzip B", 8)}`);
for (const f of files) console.log(`${f.name.padEnd(22)} ${pad(f.raw, 8)} ${pad(f.gzip, 8)}`);
console.log(`${"total".padEnd(22)} ${pad(total.raw, 8)} ${pad(total.gzip, 8)}   budget ${BUDGET} B gzipped: ${total.gzip <= BUDGET ? "within" : "OVER"} (${((total.gzip / BUDGET) * 100).toFixed(0)}%)`);
if (total.gzip > BUDGET) process.exitCode = 1;
