import path from "node:path";
import { chromium, type Browser } from "playwright-core";

/**
 * Debian's Chromium, driven by playwright-core (no browser download). Playwright starts it with a
 * fresh temporary --user-data-dir of its own (it refuses one in args) and removes it on close.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Where each run writes its screenshots (git-ignored); reviewed copies live one folder up. */
export const SCREENSHOTS = path.resolve(import.meta.dirname, "../__screenshots__/latest");
