import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMemberBirthday } from "../../app/loyalty/birthday.server";
import { runMemberExpiry } from "../../app/loyalty/expiry.server";
import { checkMember } from "../../app/loyalty/ledger.server";
import { installShop } from "../../app/loyalty/program.server";
import { evaluateMemberTier } from "../../app/loyalty/period-end.server";
import { freshDatabase } from "../support/database";
import { customer, line, order } from "../support/facts";
import { at, deliver } from "./automations-support";

/** The automations' other settings, one member job at a time, with the clock passed in. */
let db: PrismaClient;
let seq = 0;
beforeAll(() => {
  db = freshDatabase().db;
});
afterAll(() => db.$disconnect());

async function shopWithMember(options: { timezone?: string; settings?: Record<string, unknown>; program?: Record<string, unknown> } = {}) {
  const domain = `jobs-${++seq}.myshopify.com`;
  const shop = await installShop(db, domain, { timezone: options.timezone ?? "UTC" });
  if (options.program) await db.program.update({ where: { shopId: shop.id }, data: options.program });
  await db.automationSettings.create({ data: { shopId: shop.id, ...options.settings } });
  const who = customer(`c${seq}`, { createdAt: at("2026-01-05T10:00:00Z") });
  await deliver(db, domain, { type: "customer", customer: who }, at("2026-01-05T10:00:00Z"));
  const member = await db.member.findFirstOrThrow({ where: { shopId: shop.id } });
  return { domain, shop, who, member };
}

describe("automation jobs", () => {
  it("expires the whole balance after N months without activity, once, and reminds before", async () => {
    const { domain, who, member } = await shopWithMember({ settings: { expiryMode: "INACTIVITY", expiryMonths: 3, expiryReminderDays: 7 } });
    await deliver(db, domain, { type: "order", order: order(`o${seq}`, who, [line("a", 5_000)], { processedAt: at("2026-02-01T12:00:00Z") }) }, at("2026-02-01T12:00:00Z"));
    expect(await runMemberExpiry(db, member.id, at("2026-04-20T00:00:00Z"))).toEqual({ expired: 0, expiredPoints: 0, reminders: 0 });
    expect(await runMemberExpiry(db, member.id, at("2026-04-25T13:00:00Z"))).toEqual({ expired: 0, expiredPoints: 0, reminders: 1 });
    expect(await runMemberExpiry(db, member.id, at("2026-04-26T00:00:00Z"))).toEqual({ expired: 0, expiredPoints: 0, reminders: 0 });
    expect(await runMemberExpiry(db, member.id, at("2026-05-01T12:00:00Z"))).toEqual({ expired: 1, expiredPoints: 150, reminders: 0 });
    expect(await runMemberExpiry(db, member.id, at("2026-05-02T12:00:00Z"))).toEqual({ expired: 0, expiredPoints: 0, reminders: 0 });
    const after = await db.member.findUniqueOrThrow({ where: { id: member.id } });
    expect([after.balance, after.lifetimePoints]).toEqual([0, 150]);
    expect(await checkMember(db, after)).toEqual([]);
  });

  it("gives a birthday reward code instead of points when the merchant chose one, on the local date, once a year", async () => {
    const setup = await shopWithMember({ timezone: "Pacific/Auckland" });
    const reward = await db.reward.findFirstOrThrow({ where: { shopId: setup.shop.id, name: "5 off" } });
    await db.automationSettings.update({ where: { shopId: setup.shop.id }, data: { birthdayRewardId: reward.id } });
    await db.member.update({ where: { id: setup.member.id }, data: { birthday: "--03-15" } });
    // 14 March 10:00 UTC is already 15 March in Auckland.
    expect(await runMemberBirthday(db, setup.member.id, at("2026-03-14T09:00:00Z"))).toEqual({ granted: 0 });
    expect(await runMemberBirthday(db, setup.member.id, at("2026-03-14T12:00:00Z"))).toEqual({ granted: 1 });
    expect(await runMemberBirthday(db, setup.member.id, at("2026-03-16T12:00:00Z"))).toEqual({ granted: 0 });
    const codes = await db.redemption.findMany({ where: { memberId: setup.member.id } });
    expect(codes.map((c) => [c.requestId, c.pointsSpent, c.status])).toEqual([[`birthday:${setup.domain}:${setup.member.id}:2026`, 0, "PENDING"]]);
    expect(await db.ledgerEntry.count({ where: { memberId: setup.member.id, kind: "BIRTHDAY" } })).toBe(0);
    // Next year, again once.
    expect(await runMemberBirthday(db, setup.member.id, at("2027-03-15T00:00:00Z"))).toEqual({ granted: 1 });
    expect(await db.redemption.count({ where: { memberId: setup.member.id } })).toBe(2);
  });

  it("re-evaluates rolling-12-month tiers a year after they were reached, keeping earlier orders' points", async () => {
    const { domain, who, member } = await shopWithMember({ program: { tierPeriod: "ROLLING_12_MONTHS" } });
    await deliver(db, domain, { type: "order", order: order(`o${seq}`, who, [line("a", 60_000)], { processedAt: at("2026-01-10T12:00:00Z") }) }, at("2026-01-10T12:00:00Z"));
    const silver = await db.member.findUniqueOrThrow({ where: { id: member.id }, include: { tier: true } });
    expect(silver.tier?.name).toBe("Silver");
    expect(await evaluateMemberTier(db, member.id, at("2026-12-01T00:00:00Z"))).toEqual({ evaluated: 0, downgraded: 0 });
    // A year after reaching Silver the last 12 months hold only 600 points... still Silver.
    expect(await evaluateMemberTier(db, member.id, at("2027-01-10T12:00:00Z"))).toEqual({ evaluated: 1, downgraded: 0 });
    // ...and a year later nothing: Bronze.
    expect(await evaluateMemberTier(db, member.id, at("2028-01-11T00:00:00Z"))).toEqual({ evaluated: 1, downgraded: 1 });
    expect(await evaluateMemberTier(db, member.id, at("2028-01-12T00:00:00Z"))).toEqual({ evaluated: 0, downgraded: 0 });
    const after = await db.member.findUniqueOrThrow({ where: { id: member.id }, include: { tier: true } });
    expect(after.tier?.name).toBe("Bronze");
    expect(after.balance).toBe(100 + 600);
    expect(await checkMember(db, after)).toEqual([]);
    expect(await db.messageLog.findMany({ where: { memberId: member.id, trigger: "tier_lost" }, select: { data: true } })).toEqual([
      { data: JSON.stringify({ lostTier: "Silver", tier: "Bronze", needed: 500, threshold: 500 }) },
    ]);
  });
});
