import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabase: string;
    /** The run's own temporary directory (testTempDir, tests/support/temp.ts): removed after the run. */
    runDirectory: string;
  }
}

const root = path.resolve(import.meta.dirname, "../..");

/**
 * Once per run, in a temporary directory of the run's own that is removed when it ends (every
 * test's files go in it too: testTempDir): migrate a template SQLite file with the real `prisma migrate deploy` (offline
 * wrapper), which every test copies; and make sure the production build the HTTP tests serve exists.
 */
export default function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tierwise-tests-"));
  const template = path.join(dir, "template.sqlite");
  execFileSync(process.execPath, [path.join(root, "scripts/prisma.mjs"), "migrate", "deploy"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: `file:${template}` },
    stdio: "pipe",
  });
  if (!existsSync(path.join(root, "build/server/index.js"))) {
    execFileSync("npx", ["remix", "vite:build"], { cwd: root, stdio: "inherit" });
  }
  project.provide("templateDatabase", template);
  project.provide("runDirectory", dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
