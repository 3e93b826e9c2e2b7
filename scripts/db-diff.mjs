#!/usr/bin/env node
// Writes a new migration with the SQL that takes the last migrated schema to prisma/schema.prisma.
//   npm run db:diff -- add_reward_table
// `prisma migrate dev`, and `migrate diff` from a database or from the migrations folder, do not
// work with a driver adapter (Prisma's offline mode, docs/decisions/001-prisma-offline.md). So the
// schema as of the latest migration is kept beside the migrations, and the diff is schema to schema.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

const SNAPSHOT = "prisma/migrations/schema.at-latest-migration.prisma";
const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:diff -- <migration_name>   (lowercase letters, digits, underscores)");
  process.exit(2);
}
const diff = spawnSync(
  process.execPath,
  ["scripts/prisma.mjs", "migrate", "diff", "--from-schema-datamodel", SNAPSHOT, "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
  { encoding: "utf8" },
);
if (diff.status !== 0) {
  console.error(diff.stderr || diff.stdout);
  process.exit(1);
}
const sql = diff.stdout.replace(/^(Loaded Prisma config|Prisma config detected).*\n/gm, "");
if (!/\b(CREATE|ALTER|DROP|INSERT|PRAGMA)\b/.test(sql)) {
  console.log("prisma/schema.prisma matches the latest migration: nothing to write");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = path.join("prisma", "migrations", `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, "migration.sql"), sql);
copyFileSync("prisma/schema.prisma", SNAPSHOT);
console.log(`wrote ${dir}/migration.sql; apply it with npm run db:migrate`);
