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
