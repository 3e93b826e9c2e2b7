import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shopifyOrder } from "../fixtures/shopify/orders";
import { startApp, type RunningApp } from "../support/app-server";
import { freshDatabase } from "../support/database";
import { inboxDrained, pendingDeliveries } from "../support/inbox";
import { sendShopifyWebhook } from "../support/shopify-webhooks";
import { checkMember } from "../../app/loyalty/ledger.server";
import { installShop } from "../../app/loyalty/program.server";

/**
 * A delivery the app answered for is never lost: the server is killed with SIGKILL right after a
 * delivery was stored in the inbox, or after the drain claimed it, and the next start applies it,
 * exactly once, even when Shopify retries the same event meanwhile.
 */
const shop = "inbox-crash.myshopify.com";
const { db, url } = freshDatabase();

beforeAll(() => installShop(db, shop));
afterAll(() => db.$disconnect());

const crashing = (at: string) => startApp(url, { TIERWISE_CRASH_TESTS: "1", TIERWISE_CRASH_AT: at, TIERWISE_INBOX_LEASE_MS: "1000" });

async function killedBy(app: RunningApp): Promise<string | null> {
  if (app.process.exitCode !== null || app.process.signalCode !== null) return app.process.signalCode;
  return new Promise((resolve) => app.process.once("exit", (_code, signal) => resolve(signal)));
}

async function balanceOf(customerId: number) {
  const member = await db.member.findFirstOrThrow({ where: { shop: { domain: shop }, platformCustomerId: String(customerId) } });
  expect(await checkMember(db, member)).toEqual([]);
  return member.balance;
}

describe("webhook inbox across crashes", () => {
  for (const [n, at] of [[1, "inbox:after-accept"], [2, "inbox:after-claim"]] as const) {
    it(`applies a delivery once after a crash at ${at}`, async () => {
      const customer = { id: 7000 + n, email: `crash${n}@example.com`, state: "enabled" as const };
      const payload = shopifyOrder({ id: 7100 + n, customer, lines: [{ productId: 1, quantity: 1, unitPrice: "80.00" }] });
      const eventId = `crash-event-${n}`;
      const doomed = await crashing(at);
      await expect(sendShopifyWebhook(doomed.url, { shop, topic: "orders/paid", payload, eventId })).rejects.toThrow();
      expect(await killedBy(doomed)).toBe("SIGKILL");
      expect(pendingDeliveries(url)).toBe(1);

      const app = await startApp(url, { TIERWISE_INBOX_LEASE_MS: "1000" });
      try {
        // Shopify retries the event it got no answer for: recognised, not applied a second time.
        const retry = await sendShopifyWebhook(app.url, { shop, topic: "orders/paid", payload, eventId });
        expect(await retry.json()).toMatchObject({ status: "duplicate" });
        await inboxDrained(url);
        expect(await balanceOf(customer.id)).toBe(180);
        expect(await db.ledgerEntry.count({ where: { kind: "ORDER_EARN", member: { platformCustomerId: String(customer.id) } } })).toBe(1);
      } finally {
        await app.stop();
      }
    });
  }
});
