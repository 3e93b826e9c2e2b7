// Runs the emulator as its own process, for the demo store:
//   npx tsx tests/emulators/shopify-admin/main.ts --port 3100 --shop demo.myshopify.com --token shpat_demo
// Prints "shopify admin emulator listening on http://127.0.0.1:PORT" and serves until SIGINT/SIGTERM.
import { createShopifyAdminEmulator } from "./index";

function flag(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

const emulator = await createShopifyAdminEmulator({
  port: Number(flag("port", "0")),
  shops: [
    {
      domain: flag("shop", "tierwise-test.myshopify.com"),
      accessToken: flag("token", "shpat_tierwise_test_token"),
      currencyCode: flag("currency", "USD"),
      ianaTimezone: flag("timezone", "UTC"),
    },
  ],
});
console.log(`shopify admin emulator listening on ${emulator.url}`);
const stop = () => void emulator.stop().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
