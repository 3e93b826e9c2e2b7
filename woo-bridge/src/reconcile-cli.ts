// Reconciles every connected WooCommerce store once and prints what it did (JSON, one line per
// store). For cron or a manual run: `npm run woo:reconcile` (DATABASE_URL as for the app).
import db from "../../app/db.server";
import { reconcileAllWooStores } from "./reconcile.server";

const results = await reconcileAllWooStores(db);
for (const result of results) console.log(JSON.stringify(result));
await db.$disconnect();
process.exitCode = results.some((r) => r.error) ? 1 : 0;
