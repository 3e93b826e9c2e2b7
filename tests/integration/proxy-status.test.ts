import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appProxyUrl } from "../support/app-proxy";
import { startApp, type RunningApp } from "../support/app-server";
import { appTestEnvironment } from "../support/database-file";

/**
 * GET /apps/tierwise/status through the signed app proxy, on the production server: the program
 * summary for visitors (cacheable), a member's own standing (never cached), and 401 with nothing
 * read for bad signatures, tampered or stale parameters and another customer's id.
 */
const shop = "proxy-status.myshopify.com";
const { databaseUrl } = appTestEnvironment();

const { default: db } = await import("../../app/db.server");
const { installShop } = await import("../../app/loyalty/program.server");
const { processEvent } = await import("../../app/loyalty/events.server");
const { customer, line, order } = await import("../support/facts");

let app: RunningApp;
const ada = "7001";
const grace = "7002";

beforeAll(async () => {
  await installShop(db, shop);
  // Ada: 100 welcome points and 780 for an order: Silver (500), 120 points from Gold (1,000).
  await processEvent(db, { shopDomain: shop, dedupeKey: "a1", topic: "t" }, { type: "order", order: order("a1", customer(ada), [line("l", 78_000)]) });
  await processEvent(
    db,
    { shopDomain: shop, dedupeKey: "g1", topic: "t" },
    { type: "order", order: order("g1", customer(grace, { firstName: "Grace", email: "grace@example.com" }), [line("l", 5_000)]) },
  );
  app = await startApp(databaseUrl);
});
afterAll(async () => {
  await app?.stop();
  await db.$disconnect();
});

const status = (params: Parameters<typeof appProxyUrl>[2]) => fetch(appProxyUrl(app.url, "/proxy/status", params));

describe("GET /apps/tierwise/status", () => {
  it("gives a visitor the program summary, cacheable, with no member's data", async () => {
    const response = await status({ shop, customerId: null, extra: { customer: "", locale: "en" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("public, max-age=300");
    const body = await response.json();
    expect(body.viewer).toBe("guest");
    expect(body.member).toBeNull();
    expect(body.program).toMatchObject({ active: true, currency: "USD", earn: { points: 1, spendMinor: 100 }, signupPoints: 100, tierBasis: "POINTS" });
    expect(body.program.tiers.map((t: { name: string }) => t.name)).toEqual(["Bronze", "Silver", "Gold"]);
    const text = JSON.stringify(body);
    for (const secret of [ada, grace, "ada", "grace@example.com", "880", "Lovelace"]) expect(text).not.toContain(secret);
  });

  it("gives a member their own balance, tier, distance to the next tier and affordable rewards, never cached", async () => {
    const response = await status({ shop, customerId: ada, extra: { customer: ada } });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    const body = await response.json();
    expect(body.viewer).toBe("member");
    expect(body.member).toMatchObject({
      balance: 880,
      tier: { name: "Silver" },
      nextTier: { name: "Gold", threshold: 1000, remaining: 120, progressPercent: 76 },
      qualifying: { basis: "POINTS", amount: 880 },
      referralUrl: null,
    });
    // 5 off (500) and free shipping (300, Silver and up) and "any amount" (100..880); not 10% (1,000).
    expect(body.member.rewards.map((r: { name: string }) => r.name).sort()).toEqual(["5 off", "Free shipping", "Points for money off"]);
    expect(body.member.rewards.find((r: { name: string }) => r.name === "Points for money off").maxAffordable).toBe(800);
    expect(JSON.stringify(body)).not.toContain(grace);
  });

  it("answers a signed-in customer who is not a member yet without numbers", async () => {
    const body = await (await status({ shop, customerId: "7999", extra: { customer: "7999" } })).json();
    expect(body).toMatchObject({ viewer: "customer", member: null });
  });

  it("refuses with 401 a customer id that is not the logged-in one", async () => {
    const other = await status({ shop, customerId: ada, extra: { customer: grace } });
    expect(other.status).toBe(401);
    expect(JSON.stringify(await other.json())).not.toContain("880");
    // A page rendered for Ada but now seen by a signed-out visitor (or the reverse).
    expect((await status({ shop, customerId: null, extra: { customer: ada } })).status).toBe(401);
    expect((await status({ shop, customerId: ada, extra: { customer: "" } })).status).toBe(401);
  });

  it("refuses with 401 tampered parameters, a wrong secret and a missing signature", async () => {
    const signed = appProxyUrl(app.url, "/proxy/status", { shop, customerId: grace, extra: { customer: grace } });
    const tampered = [
      signed.replace(`logged_in_customer_id=${grace}`, `logged_in_customer_id=${ada}`).replace(`customer=${grace}`, `customer=${ada}`),
      signed.replace(`shop=${shop}`, "shop=other-shop.myshopify.com"),
      `${signed}&locale=pl`,
      signed.replace(/timestamp=\d+/, (m) => `timestamp=${Number(m.split("=")[1]) - 1}`),
      signed.replace(/&signature=[0-9a-f]+/, ""),
      appProxyUrl(app.url, "/proxy/status", { shop, customerId: ada, secret: "not-the-app-secret" }),
    ];
    for (const url of tampered) {
      const response = await fetch(url);
      expect(response.status, url).toBe(401);
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(JSON.stringify(await response.json())).not.toMatch(/balance|Silver/);
    }
  });

  it("refuses with 401 timestamps outside the 90 s window, replays and forged future stamps alike", async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await status({ shop, customerId: ada, timestamp: now - 600 })).status).toBe(401);
    expect((await status({ shop, customerId: ada, timestamp: now - 120 })).status).toBe(401);
    expect((await status({ shop, customerId: ada, timestamp: now + 600 })).status).toBe(401);
    expect((await status({ shop, customerId: ada, timestamp: now - 30 })).status).toBe(200);
  });

  it("answers 404 for a shop without Tierwise", async () => {
    const response = await status({ shop: "never-installed.myshopify.com", customerId: null, extra: { locale: "cs" } });
    expect(response.status).toBe(404);
    expect((await response.json()).message).toBe("Věrnostní program teď v tomto obchodě není k dispozici.");
  });
});

describe("POST /apps/tierwise/redeem", () => {
  const rewardId = async () => (await db.reward.findFirstOrThrow({ where: { shop: { domain: shop }, kind: "FIXED_AMOUNT" } })).id;
  const post = (url: string, body: unknown) => fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

  it("refuses another customer's id with 401 and writes nothing", async () => {
    const before = await db.ledgerEntry.count();
    const response = await post(appProxyUrl(app.url, "/proxy/redeem", { shop, customerId: grace, extra: { customer: ada } }), {
      rewardId: await rewardId(),
      requestId: "mismatch-0001",
    });
    expect(response.status).toBe(401);
    expect(await db.redemption.count({ where: { requestId: "mismatch-0001" } })).toBe(0);
    expect(await db.ledgerEntry.count()).toBe(before);
  });

  it("redeems a double-clicked request once (no Shopify session: the code stays pending for the outbox)", async () => {
    const url = () => appProxyUrl(app.url, "/proxy/redeem", { shop, customerId: ada, extra: { customer: ada } });
    const body = { rewardId: await rewardId(), requestId: "double-click-01" };
    const [first, second] = await Promise.all([post(url(), body), post(url(), body)]);
    expect([first.status, second.status]).toEqual([200, 200]);
    const [a, b] = [await first.json(), await second.json()];
    expect(a.redemption.id).toBe(b.redemption.id);
    const member = await db.member.findFirstOrThrow({ where: { shop: { domain: shop }, platformCustomerId: ada } });
    expect(member.balance).toBe(380);
    expect(await db.redemption.count({ where: { memberId: member.id } })).toBe(1);
  });
});
