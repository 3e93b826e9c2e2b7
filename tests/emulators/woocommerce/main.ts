// Runs the WooCommerce emulator on its own, for trying the bridge by hand:
//   npx tsx tests/emulators/woocommerce/main.ts
// then connect it (POST /woo/connect with the printed URL and keys) from a development app.
import { createWooEmulator, DEFAULT_KEY } from "./emulator";

const emulator = await createWooEmulator();
const alice = emulator.addCustomer({ email: "alice@example.com", first_name: "Alice" });
emulator.placeOrder({ customerId: alice, lines: [{ productId: 1, name: "Mug", quantity: 2, unitMinor: 1500 }], status: "completed" });
console.log(JSON.stringify({ url: emulator.url, consumerKey: DEFAULT_KEY.consumerKey, consumerSecret: DEFAULT_KEY.consumerSecret }));
process.on("SIGINT", () => void emulator.stop().then(() => process.exit(0)));
