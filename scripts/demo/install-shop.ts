// Installs the demo shop with the app's own installShop() (there is no Shopify OAuth locally),
// so the demo program is exactly what a real install gets. Prints {"created": boolean}.
//   npx tsx scripts/demo/install-shop.ts <database url> <domain> <currency> <timezone>
import { createDatabaseClient } from "../../app/db.server";
import { installShop } from "../../app/loyalty/program.server";

const [url, domain, currency, timezone, accessToken] = process.argv.slice(2);
if (!url || !domain) {
  console.error("usage: install-shop.ts <database url> <domain> [currency] [timezone]");
  process.exit(2);
}
const db = createDatabaseClient(url);
try {
  const before = await db.shop.findUnique({ where: { domain }, include: { program: true } });
  await installShop(db, domain, { currency, timezone });
  if (accessToken) {
    // The offline session a real install gets from OAuth, here for the emulated store.
    const session = { shop: domain, state: "demo", isOnline: false, accessToken, scope: "read_orders,read_customers,write_customers,write_discounts" };
    await db.session.upsert({ where: { id: `offline_${domain}` }, create: { id: `offline_${domain}`, ...session }, update: session });
  }
  console.log(JSON.stringify({ created: !before?.program }));
} finally {
  await db.$disconnect();
}
