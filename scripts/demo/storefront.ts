// The demo storefront: the theme extension rendered as a shop page (scripts/storefront), the widget
// live against the running app through the signed app proxy, and a "place an order" form that sends
// a real signed orders/paid webhook for the signed-in demo customer. Started by scripts/demo.mjs.
//   npx tsx scripts/demo/storefront.ts <app url> <port> <customer id> <db file> <shop> <secret>
import { startStorefront } from "../storefront/server";
import { memberByCustomerId } from "./db.mjs";
import { placeDemoOrder } from "./order.mjs";

const [appUrl, port, customerId, dbFile, shop, secret] = process.argv.slice(2);
if (!appUrl || !port || !customerId || !dbFile || !shop || !secret) {
  console.error("usage: storefront.ts <app url> <port> <customer id> <db file> <shop> <secret>");
  process.exit(2);
}
const member = memberByCustomerId(dbFile, shop, customerId) as { firstName?: string | null; lastName?: string | null } | null;
const storefront = await startStorefront({
  appUrl,
  shop,
  secret,
  port: Number(port),
  customer: { id: customerId, firstName: member?.firstName ?? undefined },
  placeOrder: async (id, cents) => {
    type Snapshot = { balance: number; tier: string | null };
    const result = (await placeDemoOrder({ dbFile, shop, secret, appUrl, customerId: id, cents })) as unknown as { before: Snapshot; after: Snapshot; payload: { name: string } };
    const { before, after, payload } = result;
    const tier = before.tier !== after.tier ? `; tier ${before.tier ?? "-"} → ${after.tier ?? "-"}` : "";
    return `${payload.name}: ${before.balance} → ${after.balance} points${tier}`;
  },
});
console.log(`storefront listening on ${storefront.url}`);
const stop = () => storefront.stop().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
