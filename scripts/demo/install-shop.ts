// Installs the demo shop with the app's own installShop() (there is no Shopify OAuth locally),
// so the demo program is exactly what a real install gets. Prints {"created": boolean}.
//   npx tsx scripts/demo/install-shop.ts <database url> <domain> <currency> <timezone>
import { createDatabaseClient } from "../../app/db.server";
import { installShop } from "../../app/loyalty/program.server";

const [url, domain, currency, timezone] = process.argv.slice(2);
if (!url || !domain) {
  console.error("usage: install-shop.ts <database url> <domain> [currency] [timezone]");
  process.exit(2);
}
const db = createDatabaseClient(url);
try {
  const before = await db.shop.findUnique({ where: { domain }, include: { program: true } });
  await installShop(db, domain, { currency, timezone });
  console.log(JSON.stringify({ created: !before?.program }));
} finally {
  await db.$disconnect();
}
