import { execFileSync, spawnSync } from "node:child_process";
import path from "node:path";

export const PLUGIN_DIR = path.resolve(import.meta.dirname, "../../woo-bridge/wordpress-plugin/tierwise");

/** Whether the PHP CLI is installed (Debian's php-cli; .ci/run installs it). */
export const hasPhp = spawnSync("php", ["-v"], { stdio: "ignore" }).status === 0;

/** The plugin's own tierwise_signed_headers(), run by PHP. */
export function phpSignedHeaders(secret: string, customerId: string, method: string, urlPath: string, body = "", now?: number): Record<string, string> {
  const code = `
    define('ABSPATH', '/');
    require $argv[1];
    echo json_encode(tierwise_signed_headers($argv[2], $argv[3], $argv[4], $argv[5], $argv[6], $argv[7] === '' ? null : (int) $argv[7]));
  `;
  const out = execFileSync("php", ["-r", code, "--", path.join(PLUGIN_DIR, "includes/signing.php"), secret, customerId, method, urlPath, body, now === undefined ? "" : String(now)], { encoding: "utf8" });
  return JSON.parse(out) as Record<string, string>;
}

/**
 * The plugin's real storefront relay (Tierwise_Storefront::status / ::redeem) run by PHP on a
 * minimal WordPress runtime (tests/support/wordpress), calling the app over HTTP.
 */
export function phpRelay(input: { appUrl: string; connectionId: string; secret: string; userId: number; locale: string; action: "status" | "redeem"; body?: string }) {
  const out = execFileSync(
    "php",
    [path.join(import.meta.dirname, "wordpress/relay.php"), PLUGIN_DIR, input.appUrl, input.connectionId, input.secret, String(input.userId), input.locale, input.action, input.body ?? ""],
    { encoding: "utf8" },
  );
  return JSON.parse(out) as { status: number; data: Record<string, unknown> };
}

/** phpRelay without blocking this process (which may host the emulator the app calls meanwhile). */
export async function phpRelayAsync(input: Parameters<typeof phpRelay>[0]) {
  const { execFile } = await import("node:child_process");
  const out = await new Promise<string>((resolve, reject) =>
    execFile(
      "php",
      [path.join(import.meta.dirname, "wordpress/relay.php"), PLUGIN_DIR, input.appUrl, input.connectionId, input.secret, String(input.userId), input.locale, input.action, input.body ?? ""],
      { encoding: "utf8" },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    ),
  );
  return JSON.parse(out) as { status: number; data: Record<string, unknown> };
}
