import { mkdtempSync } from "node:fs";
import path from "node:path";
import { inject } from "vitest";

/**
 * A new temporary directory inside the run's own (global-setup.ts), so a test's databases,
 * certificates, browser profiles and screenshots go when the run ends instead of piling up in
 * the system's temporary directory.
 */
export function testTempDir(prefix: string): string {
  return mkdtempSync(path.join(inject("runDirectory"), prefix));
}
