import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createShopifyAdminEmulator, DEFAULT_SHOP, type ShopifyAdminEmulator } from "../emulators/shopify-admin";
import { startApp, TEST_API_KEY, type RunningApp } from "../support/app-server";
import { browserFetch as fetch, sessionToken } from "../support/admin-session";
import { freshDatabaseFile } from "../support/database-file";

/**
 * Points for orders placed before the install: the admin starts a Shopify bulk operation through
 * the app's real Admin client, polls it, reads the JSONL file and awards each paid order once,
 * all against the Admin API emulator.
 */
const shop = DEFAULT_SHOP.domain;
const file = freshDatabaseFile();
process.env.DATABASE_URL = `file:${file}`;
const { default: db } = await import("../../app/db.server");
const { installShop } = await import("../../app/loyalty/program.server");
const { checkMember } = await import("../../app/loyalty/ledger.server");

let emulator: ShopifyAdminEmulator;
let app: RunningApp;
const SCOPES = "read_orders,read_customers,write_customers,write_discounts";

beforeAll(async () => {
  emulator = await createShopifyAdminEmulator();
  await installShop(db, shop);
  await db.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: DEFAULT_SHOP.accessToken, scope: SCOPES } });
  const ada = emulator.addCustomer({ firstName: "Ada", email: "ada@example.com" }).id;
  const bob = emulator.addCustomer({ firstName: "Bob", email: "bob@example.com" }).id;
  emulator.addOrder({ customerId: ada, email: "ada@example.com", subtotal: "120.00", processedAt: "2026-01-10T10:00:00Z" });
  emulator.addOrder({ customerId: ada, email: "ada@example.com", subtotal: "30.50", processedAt: "2026-03-02T10:00:00Z", financialStatus: "PARTIALLY_REFUNDED" });
  emulator.addOrder({ customerId: bob, email: "bob@example.com", subtotal: "75.00", processedAt: "2026-02-01T10:00:00Z" });
  emulator.addOrder({ customerId: bob, email: "bob@example.com", subtotal: "999.00", processedAt: "2026-02-02T10:00:00Z", financialStatus: "PENDING" });
  emulator.addOrder({ customerId: bob, email: "bob@example.com", subtotal: "500.00", processedAt: "2026-02-03T10:00:00Z", cancelledAt: "2026-02-04T10:00:00Z" });
  emulator.addOrder({ customerId: null, email: "guest@example.com", subtotal: "40.00", processedAt: "2026-02-05T10:00:00Z" });
  app = await startApp(`file:${file}`, { SHOPIFY_ADMIN_EMULATOR_URL: emulator.url, SCOPES }, ["--import", path.resolve(import.meta.dirname, "../emulators/shopify-admin/redirect-preload.mjs")]);
});
afterAll(async () => {
  await app?.stop();
  await emulator?.stop();
  await db.$disconnect();
});

async function act(intent: string) {
  const res = await fetch(`${app.url}/app/onboarding.data`, {
    method: "POST",
    headers: { Authorization: `Bearer ${sessionToken(shop, { aud: TEST_API_KEY })}`, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ _intent: intent, _locale: "en" }),
  });
  expect(res.status).toBe(200);
  return res.text();
}

async function runToCompletion() {
  expect(await act("pastOrders")).toContain("started");
  const seen: string[] = [];
  for (let i = 0; i < 10; i++) {
    const body = await act("pastOrdersStatus");
    seen.push(/"(CREATED|RUNNING|COMPLETED)"/.exec(body)?.[1] ?? "?");
    if (body.includes("awarded")) return { body, seen };
  }
  throw new Error(`the bulk operation never finished: ${seen.join(" ")}`);
}

const members = () => db.member.findMany({ orderBy: { firstName: "asc" } });

describe("points for past orders", () => {
  it("awards every paid order once, skipping unpaid, cancelled and guest orders", async () => {
    const { seen } = await runToCompletion();
    expect(seen).toContain("RUNNING");
    const [ada, bob] = await members();
    // 100 welcome points each; 1 point per dollar of subtotal (120 + 30, and 75).
    expect(ada).toMatchObject({ firstName: "Ada", balance: 100 + 120 + 30 });
    expect(bob).toMatchObject({ firstName: "Bob", balance: 100 + 75 });
    expect(await db.orderRecord.count()).toBe(3);
    for (const m of [ada, bob]) expect(await checkMember(db, m)).toEqual([]);
    const started = emulator.requests.filter((r) => String(r.query).includes("bulkOperationRunQuery"));
    expect(started).toHaveLength(1);
    expect(started[0].variables).toMatchObject({ query: expect.stringContaining("currentSubtotalPriceSet") });
  });

  it("running it again changes nothing", async () => {
    const before = await members();
    await runToCompletion();
    expect(emulator.requests.filter((r) => String(r.query).includes("bulkOperationRunQuery"))).toHaveLength(2);
    expect((await members()).map((m) => m.balance)).toEqual(before.map((m) => m.balance));
    expect(await db.ledgerEntry.count({ where: { kind: "ORDER_EARN" } })).toBe(3);
  });
});
