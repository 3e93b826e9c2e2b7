import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type RunningApp } from "../support/app-server";
import { browserFetch as fetch, embeddedQuery, sessionToken } from "../support/admin-session";
import { appTestEnvironment } from "../support/database-file";

/**
 * The embedded admin over real HTTP against the built production server, authenticated the way
 * Shopify does it: a session token (JWT signed with the app secret) as the id_token query parameter
 * of a document load, or as `Authorization: Bearer` on requests App Bridge makes.
 */
const shop = "admin-test.myshopify.com";
const { databaseFile: file } = appTestEnvironment();

const { default: db } = await import("../../app/db.server");
const { installShop } = await import("../../app/loyalty/program.server");
const { processEvent } = await import("../../app/loyalty/events.server");
const { checkMember } = await import("../../app/loyalty/ledger.server");
const { endExpiredTierOverrides } = await import("../../app/loyalty/adjustments.server");
const { customer, line, order } = await import("../support/facts");

let app: RunningApp;

beforeAll(async () => {
  await installShop(db, shop);
  // The offline session a real install stores; its scopes match the app's so no token exchange runs.
  await db.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: "shpat_test", scope: process.env.SCOPES } });
  for (let i = 1; i <= 60; i++) {
    const who = customer(String(1000 + i), { firstName: i === 7 ? "Zofia" : "Ada", lastName: `Member${i}`, email: `m${i}@example.com` });
    const spend = i === 7 ? 120_000 : i * 1000;
    await processEvent(db, { shopDomain: shop, dedupeKey: `o${i}`, topic: "orders/paid" }, { type: "order", order: order(`o${i}`, who, [line("l", spend)], { processedAt: new Date(Date.now() - i * 86_400_000) }) });
  }
  // Production mode with the demo switch on: the switch must be ignored (see admin-demo-mode.test.ts).
  app = await startApp(`file:${file}`, { TIERWISE_DEMO_ADMIN: "1" });
});
afterAll(async () => {
  await app?.stop();
  await db.$disconnect();
});

const shopRow = () => db.shop.findUniqueOrThrow({ where: { domain: shop }, include: { program: true, earningRules: true, tiers: { orderBy: { position: "asc" } } } });
const bearer = (extra: Record<string, string> = {}) => ({ Authorization: `Bearer ${sessionToken(shop)}`, ...extra });

async function post(path: string, fields: Record<string, string>) {
  return fetch(`${app.url}${path}`, { method: "POST", headers: bearer({ "Content-Type": "application/x-www-form-urlencoded" }), body: new URLSearchParams(fields), redirect: "manual" });
}

const RULES = {
  active: "on", points: "2", spendAmount: "1.00", awardOn: "PAID", rounding: "DOWN", includeShipping: "", includeTaxes: "", excludedProductIds: "", excludedCollectionIds: "",
  welcomeActive: "on", welcomePoints: "150", birthdayActive: "on", birthdayPoints: "200", guestOrderMatching: "on", negativeBalancePolicy: "FLOOR_AT_ZERO",
};

describe("admin authentication", () => {
  it("a document load with Shopify's session token renders the page", async () => {
    const res = await fetch(`${app.url}/app/rules?${embeddedQuery(shop)}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Earning rules");
    expect(html).toContain("Points for purchases");
  });

  it("renders in the staff member's language from Shopify's locale parameter", async () => {
    const res = await fetch(`${app.url}/app/rules?${embeddedQuery(shop, { locale: "pl-PL" })}`);
    const html = await res.text();
    expect(html).toContain("Zasady punktów");
    expect(html).toContain("Punkty za zakupy");
  });

  it("refuses a token signed with another secret, one for another app, and an expired one", async () => {
    for (const token of [sessionToken(shop, { secret: "not-the-secret" }), sessionToken(shop, { aud: "another-app" }), sessionToken(shop, { expiresIn: -120 })]) {
      const res = await fetch(`${app.url}/app/members`, { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status).toBe(401);
      expect(res.headers.get("x-shopify-retry-invalid-session-request")).toBe("1");
    }
  });

  it("does not serve the admin to a request without a session token, demo switch or not", async () => {
    const res = await fetch(`${app.url}/app/members`, { redirect: "manual" });
    expect(res.status).not.toBe(200);
    expect(await res.text()).not.toContain("Ada Member");
  });
});

describe("earning rules", () => {
  it("a bad submission gets translated errors per field and writes nothing", async () => {
    const before = await shopRow();
    const res = await post("/app/rules", { ...RULES, points: "-3", spendAmount: "abc", awardOn: "SOMETIMES", welcomePoints: "1.5", excludedProductIds: "gid://shopify/Order/1", _locale: "pl" });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain("Wpisz liczbę całkowitą.");
    expect(html).toContain("Wpisz 1 lub więcej.");
    expect(html).toContain("Wpisz kwotę, np. 10 albo 10.50.");
    expect(html).toContain("Wybierz jedną z opcji.");
    const after = await shopRow();
    expect(after.earningRules).toEqual(before.earningRules);
    expect(after.program).toEqual(before.program);
  });

  it("a valid submission saves every field", async () => {
    const res = await post("/app/rules", { ...RULES, awardOn: "FULFILLED", rounding: "NEAREST", includeShipping: "on", excludedProductIds: "gid://shopify/Product/7\n8", _locale: "en" });
    expect(res.status).toBe(200);
    const after = await shopRow();
    expect(after.program!.awardOn).toBe("FULFILLED");
    expect(after.program!.rounding).toBe("NEAREST");
    expect(after.program!.includeShipping).toBe(true);
    expect(JSON.parse(after.program!.excludedProductIds)).toEqual(["7", "8"]);
    expect(after.earningRules.find((r) => r.kind === "PURCHASE")).toMatchObject({ points: 2, spendMinor: 100, active: true });
    expect(after.earningRules.find((r) => r.kind === "SIGNUP")).toMatchObject({ points: 150 });
  });
});

describe("tiers", () => {
  const tiersField = async (change: (t: Record<string, string>[]) => Record<string, string>[]) => {
    const s = await shopRow();
    const rows = s.tiers.map((t) => ({ id: t.id, name: t.name, threshold: String(t.threshold), retainThreshold: "", multiplier: (t.multiplierPercent / 100).toFixed(2), perks: "", entryRewardId: "" }));
    return JSON.stringify(change(rows));
  };

  it("refuses thresholds out of order and duplicate names, writing nothing", async () => {
    const before = await shopRow();
    const tiers = await tiersField((rows) => [rows[0], { ...rows[1], threshold: "2000" }, { ...rows[2], name: rows[1].name }]);
    const res = await post("/app/tiers", { tierBasis: "POINTS", tierPeriod: "LIFETIME", tiers, _intent: "save", _locale: "cs" });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain("Každá úroveň musí mít vyšší vstup než předchozí.");
    expect(html).toContain("Tento název už má jiná úroveň.");
    expect((await shopRow()).tiers).toEqual(before.tiers);
  });

  it("previews where members would land, then saving moves them there", async () => {
    // Member 7 spent 1,200 (1,200 points + welcome): Gold today. Raise Gold to 5,000 points.
    const tiers = await tiersField((rows) => [rows[0], rows[1], { ...rows[2], threshold: "5000" }]);
    const goldBefore = await db.member.count({ where: { tier: { name: "Gold" } } });
    expect(goldBefore).toBeGreaterThan(0);
    const preview = await fetch(`${app.url}/app/tiers.data`, { method: "POST", headers: bearer({ "Content-Type": "application/x-www-form-urlencoded" }), body: new URLSearchParams({ tierBasis: "POINTS", tierPeriod: "LIFETIME", tiers, _intent: "preview" }) });
    expect(preview.status).toBe(200);
    const body = await preview.text();
    expect(body).toContain("preview");
    // Nothing moved by a preview.
    expect(await db.member.count({ where: { tier: { name: "Gold" } } })).toBe(goldBefore);

    const res = await post("/app/tiers", { tierBasis: "POINTS", tierPeriod: "LIFETIME", tiers, _intent: "save", _locale: "en" });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/Tiers saved: 60 members re-evaluated, \d+ moved/);
    expect(await db.member.count({ where: { tier: { name: "Gold" } } })).toBe(0);
    const zofia = await db.member.findFirstOrThrow({ where: { firstName: "Zofia" }, include: { tier: true } });
    expect(zofia.tier?.name).toBe("Silver");
    expect(await db.tierChange.count({ where: { memberId: zofia.id, direction: "DOWN" } })).toBe(1);
  });
});

describe("rewards", () => {
  it("validates the fields of the chosen kind and creates the reward", async () => {
    const base = { kind: "VARIABLE_AMOUNT", name: "Cash back", active: "on", value: "1.00", pointsPerUnit: "100", minPoints: "150", maxPoints: "100", codeExpiryDays: "30", combinesWithShipping: "on", _locale: "en" };
    const count = await db.reward.count();
    const bad = await post("/app/rewards/new", base);
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain("Must be a multiple of the points per step.");
    expect(html).toContain("Must not be below the fewest points.");
    expect(await db.reward.count()).toBe(count);
    const good = await post("/app/rewards/new", { ...base, minPoints: "100", maxPoints: "2000" });
    expect(good.status).toBe(302);
    expect(await db.reward.findFirst({ where: { name: "Cash back" } })).toMatchObject({ kind: "VARIABLE_AMOUNT", valueMinor: 100, pointsPerUnit: 100, minPoints: 100, maxPoints: 2000 });
  });
});

describe("members", () => {
  it("lists a page of 50 with the total, searches by name and sorts by balance", async () => {
    const page1 = await (await fetch(`${app.url}/app/members?${embeddedQuery(shop)}`)).text();
    expect(page1).toContain("60 members");
    expect(page1).toContain("Page 1 of 2");
    const found = await (await fetch(`${app.url}/app/members?${embeddedQuery(shop, { q: "Zofia" })}`)).text();
    expect(found).toContain("Zofia Member7");
    expect(found).not.toContain("Ada Member8");
    const ascending = await (await fetch(`${app.url}/app/members?${embeddedQuery(shop, { sort: "balance_asc", page: "2" })}`)).text();
    expect(ascending).toContain("Page 2 of 2");
    expect(ascending).toContain("Zofia Member7");
  });

  it("a manual adjustment needs a reason, is recorded with the staff member, and a double submit adjusts once", async () => {
    const member = await db.member.findFirstOrThrow({ where: { firstName: "Zofia" } });
    const path = `/app/members/${member.id}`;
    const noReason = await post(path, { _intent: "adjust", points: "50", reason: " ", _requestId: "req-0000-1111", _locale: "pl" });
    expect(noReason.status).toBe(422);
    expect(await noReason.text()).toContain("Co najmniej 3 znaki.");
    const fields = { _intent: "adjust", points: "-40", reason: "Damaged parcel goodwill", _requestId: "req-2222-3333", _locale: "en" };
    const [a, b] = await Promise.all([post(path, fields), post(path, fields)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const entries = await db.ledgerEntry.findMany({ where: { memberId: member.id, kind: "ADJUSTMENT" } });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ points: -40, reason: "Damaged parcel goodwill", createdBy: "staff:84512", sourceType: "manual" });
    const after = await db.member.findUniqueOrThrow({ where: { id: member.id } });
    expect(after.balance).toBe(member.balance - 40);
    expect(await checkMember(db, after)).toEqual([]);
    const html = await (await fetch(`${app.url}${path}?${embeddedQuery(shop)}`)).text();
    expect(html).toContain("Damaged parcel goodwill · staff:84512");
  });

  it("the member page lists the member's automated messages", async () => {
    const member = await db.member.findFirstOrThrow({ where: { firstName: "Zofia" } });
    const logged = await db.messageLog.findMany({ where: { memberId: member.id } });
    // Enrolment queued a welcome and the order a "points earned" (issue 8's triggers).
    expect(logged.map((m) => m.trigger).sort()).toEqual(expect.arrayContaining(["points_earned", "welcome"]));
    const html = await (await fetch(`${app.url}/app/members/${member.id}?locale=pl&${embeddedQuery(shop)}`)).text();
    expect(html).toContain("Wiadomości");
    expect(html).toContain("Powitanie");
    expect(html).toContain("Zdobyte punkty");
  });

  it("a tier override holds until its end date, even through a new order", async () => {
    const member = await db.member.findFirstOrThrow({ where: { firstName: "Ada", lastName: "Member1" }, include: { tier: true } });
    const gold = (await shopRow()).tiers.find((t) => t.name === "Gold")!;
    const past = await post(`/app/members/${member.id}`, { _intent: "override", tierId: gold.id, endsAt: "2020-01-01", reason: "VIP event", _locale: "en" });
    expect(past.status).toBe(422);
    expect(await past.text()).toContain("Choose a date in the future.");
    const until = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const ok = await post(`/app/members/${member.id}`, { _intent: "override", tierId: gold.id, endsAt: until, reason: "VIP event", _locale: "en" });
    expect(ok.status).toBe(200);
    expect((await db.member.findUniqueOrThrow({ where: { id: member.id } })).tierId).toBe(gold.id);
    const who = customer(member.platformCustomerId, { firstName: "Ada", lastName: "Member1", email: member.email! });
    await processEvent(db, { shopDomain: shop, dedupeKey: "o-extra", topic: "orders/paid" }, { type: "order", order: order("o-extra", who, [line("l", 1000)], { processedAt: new Date() }) });
    expect((await db.member.findUniqueOrThrow({ where: { id: member.id } })).tierId).toBe(gold.id);
    const removed = await post(`/app/members/${member.id}`, { _intent: "override", tierId: "", _locale: "en" });
    expect(removed.status).toBe(200);
    expect((await db.member.findUniqueOrThrow({ where: { id: member.id } })).tierId).toBe(member.tierId);
  });
});

describe("tier override end date", () => {
  it("when the date passes, the member's own tier applies again", async () => {
    const member = await db.member.findFirstOrThrow({ where: { firstName: "Ada", lastName: "Member2" } });
    const gold = (await shopRow()).tiers.find((t) => t.name === "Gold")!;
    expect(member.tierId).not.toBe(gold.id);
    const until = new Date(Date.now() + 10 * 86_400_000);
    const ok = await post(`/app/members/${member.id}`, { _intent: "override", tierId: gold.id, endsAt: until.toISOString().slice(0, 10), reason: "Launch party", _locale: "en" });
    expect(ok.status).toBe(200);
    expect(await endExpiredTierOverrides(db, new Date())).toBe(0);
    expect((await db.member.findUniqueOrThrow({ where: { id: member.id } })).tierId).toBe(gold.id);
    expect(await endExpiredTierOverrides(db, new Date(Date.now() + 11 * 86_400_000))).toBe(1);
    expect((await db.member.findUniqueOrThrow({ where: { id: member.id } })).tierId).toBe(member.tierId);
    expect(await db.tierOverride.count({ where: { memberId: member.id } })).toBe(0);
  });
});

describe("import and export", () => {
  const csv = [
    "email,points,vip_tier",
    "m2@example.com,500,",
    "m3@example.com,abc,",
    "nobody@example.com,10,",
    "m4@example.com,20,Platinum",
    "m5@example.com,30,Gold",
  ].join("\n");

  it("previews with an error per bad row, then imports only the good rows, once", async () => {
    const preview = await post("/app/import.data", { _intent: "preview", csv, _locale: "en" });
    expect(preview.status).toBe(200);
    const text = await preview.text();
    expect(text).toContain("Points must be a whole number.");
    expect(text).toContain("There is no tier named “Platinum”.");
    expect(text).toContain("No member has this email; add a customer_id column to create them.");
    const m2 = await db.member.findFirstOrThrow({ where: { email: "m2@example.com" } });
    const m5 = await db.member.findFirstOrThrow({ where: { email: "m5@example.com" } });
    const importId = /"([a-f0-9]{24})"/.exec(text)![1];
    const rows = [
      { row: 2, email: "m2@example.com", customerId: null, firstName: null, lastName: null, points: 500, tier: null },
      { row: 4, email: "nobody@example.com", customerId: null, firstName: null, lastName: null, points: 10, tier: null },
      { row: 6, email: "m5@example.com", customerId: null, firstName: null, lastName: null, points: 30, tier: "Gold" },
    ];
    const chunk = JSON.stringify({ importId, mode: "add", rows });
    for (let attempt = 0; attempt < 2; attempt++) {
      const res = await post("/app/import.data", { _intent: "import", chunk, _locale: "en" });
      expect(res.status).toBe(200);
      const body = await res.text();
      expect(body).toContain("No member has this email; add a customer_id column to create them.");
    }
    expect((await db.member.findUniqueOrThrow({ where: { id: m2.id } })).balance).toBe(m2.balance + 500);
    const m5After = await db.member.findUniqueOrThrow({ where: { id: m5.id }, include: { tier: true } });
    expect(m5After.balance).toBe(m5.balance + 30);
    expect(m5After.tier?.name).toBe("Gold");
    expect(await db.ledgerEntry.count({ where: { kind: "IMPORT" } })).toBe(2);
    expect(await db.member.count({ where: { email: "nobody@example.com" } })).toBe(0);
  });

  it("exports members and the ledger as CSV", async () => {
    const members = await fetch(`${app.url}/app/export/members`, { headers: bearer() });
    expect(members.status).toBe(200);
    expect(members.headers.get("content-type")).toContain("text/csv");
    const lines = (await members.text()).trim().split("\r\n");
    expect(lines[0]).toBe("customer_id,email,first_name,last_name,points,lifetime_points,vip_tier,last_order_at,enrolled_at");
    expect(lines).toHaveLength(61);
    const ledger = await (await fetch(`${app.url}/app/export/ledger`, { headers: bearer() })).text();
    expect(ledger.split("\r\n")[0]).toContain("entry_id,occurred_at,customer_id");
    expect(ledger).toContain("Damaged parcel goodwill");
  });
});

describe("dashboard and onboarding", () => {
  it("shows the numbers for a date range", async () => {
    const html = await (await fetch(`${app.url}/app?${embeddedQuery(shop, { from: "2020-01-01", to: new Date().toISOString().slice(0, 10) })}`)).text();
    expect(html).toContain("Points over time");
    expect(html).toContain("Members per tier");
    expect(html).toContain("Repeat purchase rate");
  });

  it("onboarding creates the default program in one click", async () => {
    const res = await post("/app/onboarding", { _intent: "defaults" });
    expect(res.status).toBe(302);
    const s = await shopRow();
    expect(s.tiers.map((t) => [t.name, t.threshold])).toEqual([["Bronze", 0], ["Silver", 500], ["Gold", 1000]]);
    const rewards = await db.reward.findMany({ where: { shopId: s.id, kind: "PERCENTAGE", minimumTierId: { not: null } } });
    expect(rewards.map((r) => r.percentage).sort((a, b) => a - b)).toEqual([5, 10, 15]);
    expect(await db.adminSetup.findUnique({ where: { shopId: s.id } })).not.toBeNull();
  });
});
