import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appProxyUrl } from "../support/app-proxy";
import { startApp, type RunningApp } from "../support/app-server";
import { appTestEnvironment } from "../support/database-file";

/**
 * GET /apps/tierwise/status is answered by server.mjs before Remix, with plain SQL on a read
 * connection and the shop's program cached (docs/decisions/013-storefront-status-fast-path.md).
 * Its answers must be the ones storefrontStatus (Prisma) and the Remix route give, byte for byte,
 * for visitors and members of every kind; a merchant's change through the admin services must show
 * on the next request, and a member's balance at once.
 */
const a = "fast-a.myshopify.com";
const b = "fast-b.myshopify.com";
const { databaseUrl } = appTestEnvironment();

const { default: db } = await import("../../app/db.server");
const { installShop } = await import("../../app/loyalty/program.server");
const { processEvent } = await import("../../app/loyalty/events.server");
const { redeem, issueRedemption } = await import("../../app/loyalty/redemptions.server");
const { adjustPoints } = await import("../../app/loyalty/adjustments.server");
const { storefrontStatus } = await import("../../app/loyalty/status.server");
const { loadTierSettings, parseTierSettings, saveTiers } = await import("../../app/admin/tiers.server");
const { parseReward, saveReward } = await import("../../app/admin/rewards.server");
const { PROGRAM_CACHE_MAX_AGE_MS } = await import("../../app/storefront/status-reader.server");
const { closeStorefrontReads } = await import("../../app/storefront/read-connection.server");
const { loader } = await import("../../app/routes/proxy.status");
const { customer, line, order, DAY } = await import("../support/facts");
const { RecordingIssuer } = await import("../support/recording-issuer");

let app: RunningApp;
const now = Date.now();
const buy = (shop: string, id: string, who: string, cents: number, daysAgo: number) =>
  processEvent(db, { shopDomain: shop, dedupeKey: `${shop}:${id}`, topic: "t" }, { type: "order", order: order(id, customer(who), [line("l", cents)], { processedAt: new Date(now - daysAgo * DAY) }) });
const memberOf = (shop: string, who: string) => db.member.findFirstOrThrow({ where: { shop: { domain: shop }, platformCustomerId: who } });
const shopId = async (shop: string) => (await db.shop.findUniqueOrThrow({ where: { domain: shop } })).id;

beforeAll(async () => {
  await installShop(db, a);
  await installShop(db, b, { currency: "PLN", timezone: "Europe/Warsaw" });
  // Shop B: tiers on spend over a rolling 12 months, so an old order no longer counts.
  const bId = await shopId(b);
  await db.program.update({ where: { shopId: bId }, data: { tierBasis: "SPEND", tierPeriod: "ROLLING_12_MONTHS" } });
  await db.tier.updateMany({ where: { shopId: bId, name: "Silver" }, data: { threshold: 50_000 } });
  await db.tier.updateMany({ where: { shopId: bId, name: "Gold" }, data: { threshold: 150_000 } });

  await buy(a, "a1", "8001", 20_000, 40); // 100 welcome + 200: Bronze
  await buy(a, "a2", "8002", 60_000, 40); // 700: Silver
  await buy(a, "a3", "8003", 90_000, 300); // Gold after the next order
  await buy(a, "a4", "8003", 60_000, 20);
  await buy(a, "a5", "8004", 10_000, 10); // redacted below
  await buy(b, "b1", "9001", 120_000, 400); // outside the rolling window
  await buy(b, "b2", "9001", 70_000, 30); // 700.00 PLN inside it: Silver
  await buy(b, "b3", "9002", 10_000, 5);

  // 8003: an issued code, a pending one (not shown), and points expiring within 30 days.
  const gold = await memberOf(a, "8003");
  const fiveOff = await db.reward.findFirstOrThrow({ where: { shopId: gold.shopId, kind: "FIXED_AMOUNT" } });
  const issued = await redeem(db, { shopDomain: a, memberId: gold.id, rewardId: fiveOff.id, requestId: "fast-issued-1" });
  if (!issued.ok) throw new Error(issued.reason);
  expect(await issueRedemption(db, issued.redemption.id, new RecordingIssuer())).toBe("issued");
  expect((await redeem(db, { shopDomain: a, memberId: gold.id, rewardId: fiveOff.id, requestId: "fast-pending-1" })).ok).toBe(true);
  const first = await db.ledgerEntry.findFirstOrThrow({ where: { memberId: gold.id, remaining: { gt: 0 } }, orderBy: { occurredAt: "asc" } });
  await db.ledgerEntry.update({ where: { id: first.id }, data: { expiresAt: new Date(now + 12 * DAY) } });
  await db.member.updateMany({ where: { shop: { domain: a }, platformCustomerId: "8004" }, data: { redactedAt: new Date() } });

  app = await startApp(databaseUrl);
});
afterAll(async () => {
  await app?.stop();
  closeStorefrontReads();
  await db.$disconnect();
});

const url = (base: string, shop: string, customerId: string | null, extra: Record<string, string> = {}) =>
  appProxyUrl(base, "/proxy/status", { shop, customerId, extra: { customer: customerId ?? "", ...extra } });

async function fastPath(shop: string, customerId: string | null, headers: Record<string, string> = {}) {
  const response = await fetch(url(app.url, shop, customerId), { headers });
  return { response, text: await response.text() };
}

/** What the Remix route answers for the same request, run in this process. */
async function remixRoute(target: string, headers: Record<string, string> = {}) {
  const response = await loader({ request: new Request(target, { headers }), params: {}, context: {} });
  return { response, text: await response.text() };
}

const prismaStatus = async (shop: string, customerId: string | null) => JSON.stringify(await storefrontStatus(db, { shopDomain: shop, platformCustomerId: customerId }));

describe("the storefront status fast path", () => {
  const viewers: [string, string | null, string][] = [
    [a, null, "guest"],
    [a, "8001", "member"],
    [a, "8002", "member"],
    [a, "8003", "member"],
    [a, "8004", "customer"],
    [a, "8999", "customer"],
    [b, null, "guest"],
    [b, "9001", "member"],
    [b, "9002", "member"],
  ];

  it("answers visitors and members exactly as storefrontStatus and the Remix route do", async () => {
    for (const [shop, customerId, viewer] of viewers) {
      const fast = await fastPath(shop, customerId);
      expect(fast.response.status).toBe(200);
      expect(JSON.parse(fast.text).viewer, `${shop} ${customerId}`).toBe(viewer);
      expect(fast.text, `${shop} ${customerId}`).toBe(await prismaStatus(shop, customerId));
      const remix = await remixRoute(url("https://tierwise.test", shop, customerId));
      expect(fast.text).toBe(remix.text);
      for (const header of ["content-type", "cache-control", "vary"]) expect(fast.response.headers.get(header), header).toBe(remix.response.headers.get(header));
      // Answered by server.mjs in one piece (Remix streams its answers, chunked).
      expect(fast.response.headers.get("content-length")).toBe(String(Buffer.byteLength(fast.text)));
    }
    // The cases are what they claim to be.
    const gold = JSON.parse((await fastPath(a, "8003")).text).member;
    expect(gold.tier.name).toBe("Gold");
    expect(gold.codes).toHaveLength(1);
    expect(gold.expiring.points).toBeGreaterThan(0);
    expect(gold.rewards.length).toBeGreaterThan(2);
    const spender = JSON.parse((await fastPath(b, "9001")).text).member;
    expect(spender).toMatchObject({ tier: { name: "Silver" }, qualifying: { basis: "SPEND", amount: 70_000 }, nextTier: { name: "Gold", remaining: 80_000 } });
    expect((await fastPath(a, null)).response.headers.get("cache-control")).toBe("public, max-age=300");
    expect((await fastPath(a, "8001")).response.headers.get("cache-control")).toBe("private, no-store");
  });

  it("answers 404 in the shopper's language and 401 for bad requests, as the Remix route does", async () => {
    const missing = [
      [url(app.url, "fast-none.myshopify.com", null, { locale: "cs" }), {}],
      [url(app.url, "fast-none.myshopify.com", null), { "Accept-Language": "pl-PL,pl;q=0.9" }],
      [url(app.url, "fast-none.myshopify.com", "8001"), {}],
    ] as const;
    for (const [target, headers] of missing) {
      const fast = await fetch(target, { headers });
      const remix = await remixRoute(target.replace(app.url, "https://tierwise.test"), headers);
      expect(fast.status).toBe(404);
      expect(remix.response.status).toBe(404);
      expect(await fast.text()).toBe(remix.text);
      expect(fast.headers.get("cache-control")).toBe("no-store");
    }
    expect(JSON.parse(await (await fetch(missing[1][0], { headers: missing[1][1] })).text()).message).toBe("Program nagród nie jest teraz dostępny w tym sklepie.");

    const signed = url(app.url, a, "8001");
    const refused = [
      `${signed}&locale=pl`,
      signed.replace(/&signature=[0-9a-f]+/, ""),
      url(app.url, a, "8001").replace("customer=8001", "customer=8002"),
      appProxyUrl(app.url, "/proxy/status", { shop: a, customerId: "8001", timestamp: Math.floor(Date.now() / 1000) - 120 }),
      appProxyUrl(app.url, "/proxy/status", { shop: a, customerId: "8001", secret: "not-the-app-secret" }),
    ];
    for (const target of refused) {
      const fast = await fetch(target);
      const remix = await remixRoute(target.replace(app.url, "https://tierwise.test"));
      expect(fast.status, target).toBe(401);
      expect(remix.response.status).toBe(401);
      expect(await fast.text()).toBe(remix.text);
      expect(fast.headers.get("content-type")).toBe(remix.response.headers.get("content-type"));
      expect(fast.headers.get("cache-control")).toBe("no-store");
    }
  });

  it("shows a merchant's tier and reward changes on the next request", async () => {
    const aId = await shopId(a);
    // Warm the cache, then rename Silver in the admin's tier editor.
    expect(JSON.parse((await fastPath(a, "8002")).text).member.tier.name).toBe("Silver");
    const settings = await loadTierSettings(db, aId);
    const edited = settings.tiers.map((t) => (t.name === "Silver" ? { ...t, name: "Argent" } : t));
    const parsed = await parseTierSettings(db, aId, { tierBasis: settings.basis, tierPeriod: settings.period, tiers: JSON.stringify(edited) }, "en");
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    await saveTiers(db, aId, parsed.data);
    const renamed = await fastPath(a, "8002");
    expect(JSON.parse(renamed.text).member.tier.name).toBe("Argent");
    expect(renamed.text).toBe(await prismaStatus(a, "8002"));
    expect(JSON.parse((await fastPath(a, null)).text).program.tiers.map((t: { name: string }) => t.name)).toEqual(["Bronze", "Argent", "Gold"]);

    // A new reward, cheap enough for the Bronze member, then withdrawn.
    const form = { kind: "FIXED_AMOUNT", name: "Coffee on us", active: "on", pointsCost: "50", value: "2.00", codeExpiryDays: "30" };
    const reward = await parseReward(db, aId, form, "en");
    if (!reward.ok) throw new Error(JSON.stringify(reward.errors));
    const rewardId = (await saveReward(db, aId, null, reward.data))!;
    const withReward = await fastPath(a, "8001");
    expect(JSON.parse(withReward.text).member.rewards.map((r: { name: string }) => r.name)).toContain("Coffee on us");
    expect(withReward.text).toBe(await prismaStatus(a, "8001"));
    const guest = await fastPath(a, null);
    expect(JSON.parse(guest.text).program.rewards.find((r: { id: string }) => r.id === rewardId)).toMatchObject({ name: "Coffee on us", pointsCost: 50, valueMinor: 200 });
    expect(guest.text).toBe(await prismaStatus(a, null));

    const withdrawn = await parseReward(db, aId, { ...form, active: "" }, "en");
    if (!withdrawn.ok) throw new Error(JSON.stringify(withdrawn.errors));
    await saveReward(db, aId, rewardId, withdrawn.data);
    const after = await fastPath(a, null);
    expect(after.text).not.toContain("Coffee on us");
    expect(after.text).toBe(await prismaStatus(a, null));
  });

  it("shows a write that bypasses updatedAt within the cache's maximum age", async () => {
    const aId = await shopId(a);
    await fastPath(a, null);
    // A hand-run SQL change that leaves updatedAt alone: the fingerprint cannot see it, the age can.
    await db.$executeRawUnsafe(`UPDATE "Tier" SET "name" = 'Oro' WHERE "shopId" = ? AND "name" = 'Gold'`, aId);
    const started = Date.now();
    let seen = false;
    while (!seen && Date.now() - started < PROGRAM_CACHE_MAX_AGE_MS + 2_000) {
      seen = (await fastPath(a, null)).text.includes('"name":"Oro"');
      if (!seen) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(seen).toBe(true);
    expect(Date.now() - started).toBeLessThanOrEqual(PROGRAM_CACHE_MAX_AGE_MS + 1_000);
    expect((await fastPath(a, "8003")).text).toBe(await prismaStatus(a, "8003"));
  });

  it("shows a member's new balance and tier on the very next request", async () => {
    const bronze = await memberOf(a, "8001");
    for (let i = 1; i <= 4; i++) {
      const result = await adjustPoints(db, { shopDomain: a, memberId: bronze.id, points: 25, reason: "goodwill", staff: "test", requestId: `fast-adjust-${i}` });
      expect(result.ok).toBe(true);
      const { text } = await fastPath(a, "8001");
      expect(JSON.parse(text).member.balance).toBe(bronze.balance + 25 * i);
      expect(text).toBe(await prismaStatus(a, "8001"));
    }
    // An order that lifts the member to the next tier.
    await buy(a, "a6", "8001", 50_000, 0);
    const { text } = await fastPath(a, "8001");
    expect(JSON.parse(text).member.tier.name).toBe("Argent");
    expect(text).toBe(await prismaStatus(a, "8001"));
  });
});
