// One demo order: a real signed orders/paid webhook for a demo member, sent to the running app, and
// the member's points and tier before and after. Used by `npm run demo -- order` and by the demo
// storefront's "place an order" form.
import { CATALOG } from "./history.mjs";
import { memberByCustomerId, nextOrderNumber } from "./db.mjs";
import { orderPayload } from "./payloads.mjs";
import { deliver, inboxDrained } from "./webhooks.mjs";

export async function placeDemoOrder({ dbFile, shop, secret, appUrl, customerId, cents }) {
  const before = memberByCustomerId(dbFile, shop, customerId);
  if (!before) throw new Error(`no demo member with customer id ${customerId}`);
  const now = Date.now();
  const id = 6_000_000_000_000 + (now % 1_000_000_000_000);
  const customer = {
    id: Number(before.platformCustomerId), firstName: before.firstName ?? "", lastName: before.lastName ?? "", email: before.email,
    phone: before.phone, acceptsMarketing: Boolean(before.acceptsMarketing), createdAt: new Date(before.customerCreatedAt ?? now),
  };
  const product = { id: CATALOG[0].id + 900, title: "Demo purchase", price: cents };
  const payload = orderPayload({ id, number: nextOrderNumber(dbFile, shop), customer, at: now, lines: [{ product, quantity: 1 }], code: null });
  const { status, body } = await deliver(appUrl, { shop, secret }, { topic: "orders/paid", payload, at: now });
  if (status !== 200 || !["processed", "queued"].includes(body?.status)) throw new Error(`the app answered ${status}: ${JSON.stringify(body)}`);
  await inboxDrained(dbFile);
  const after = memberByCustomerId(dbFile, shop, customerId);
  return { payload, before, after };
}
