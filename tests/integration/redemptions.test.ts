import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CODE_ALPHABET } from "../../app/loyalty/codes";
import { processEvent } from "../../app/loyalty/events.server";
import { checkMember } from "../../app/loyalty/ledger.server";
import { installShop } from "../../app/loyalty/program.server";
import { expireRedemptions, issueRedemption, recoverPendingRedemptions, redeem } from "../../app/loyalty/redemptions.server";
import { freshDatabase } from "../support/database";
import { customer, line, order } from "../support/facts";
import { RecordingIssuer } from "../support/recording-issuer";

let db: PrismaClient;
let seq = 0;
beforeAll(() => {
  db = freshDatabase().db;
});
afterAll(() => db.$disconnect());

/** A shop with one member holding `points` (welcome 100 + purchases). */
async function memberWith(points: number) {
  const domain = `redeem-${++seq}.myshopify.com`;
  const shop = await installShop(db, domain);
  await db.tier.updateMany({ where: { shopId: shop.id }, data: { multiplierPercent: 100 } });
  const who = customer(`c${seq}`);
  await processEvent(db, { shopDomain: domain, dedupeKey: "c", topic: "t" }, { type: "customer", customer: who });
  if (points > 100) {
    await processEvent(db, { shopDomain: domain, dedupeKey: "o", topic: "t" }, { type: "order", order: order("o1", who, [line("l", (points - 100) * 100)]) });
  }
  const member = await db.member.findFirstOrThrow({ where: { shopId: shop.id } });
  const rewards = await db.reward.findMany({ where: { shopId: shop.id } });
  const reward = (kind: string) => rewards.find((r) => r.kind === kind)!;
  return { domain, shop, member, reward };
}

async function balanceOf(memberId: string) {
  const member = await db.member.findUniqueOrThrow({ where: { id: memberId } });
  expect(await checkMember(db, member)).toEqual([]);
  return member.balance;
}

describe("redemption", () => {
  it("debits the points, creates a readable unguessable code, and issues it", async () => {
    const { domain, member, reward } = await memberWith(700);
    const result = await redeem(db, { shopDomain: domain, memberId: member.id, rewardId: reward("FIXED_AMOUNT").id, requestId: "r1" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.redemption.status).toBe("PENDING");
    expect(result.redemption.code).toMatch(new RegExp(`^TW(-[${CODE_ALPHABET}]{4}){3}$`));
    expect(await balanceOf(member.id)).toBe(200);
    const issuer = new RecordingIssuer();
    expect(await issueRedemption(db, result.redemption.id, issuer)).toBe("issued");
    const issued = await db.redemption.findUniqueOrThrow({ where: { id: result.redemption.id } });
    expect(issued.status).toBe("ISSUED");
    const request = issuer.codes.get(issued.code)!.request;
    expect(request.platformCustomerId).toBe(member.platformCustomerId);
    expect(request.terms).toMatchObject({ kind: "FIXED_AMOUNT", valueMinor: 500, currency: "USD" });
    expect(request.endsAt.getTime() - request.startsAt.getTime()).toBe(30 * 86_400_000);
  });

  it("returns the same redemption for a retried request, debiting once", async () => {
    const { domain, member, reward } = await memberWith(1_200);
    const command = { shopDomain: domain, memberId: member.id, rewardId: reward("FIXED_AMOUNT").id, requestId: "double-click" };
    const [a, b] = await Promise.all([redeem(db, command), redeem(db, command)]);
    expect(a.ok && b.ok && a.redemption.id === b.redemption.id).toBe(true);
    expect(await balanceOf(member.id)).toBe(700);
  });

  it("refuses what the member cannot afford or may not have, writing nothing", async () => {
    const { domain, member, reward } = await memberWith(400);
    const before = await db.ledgerEntry.count({ where: { memberId: member.id } });
    expect(await redeem(db, { shopDomain: domain, memberId: member.id, rewardId: reward("FIXED_AMOUNT").id, requestId: "a" })).toEqual({ ok: false, reason: "insufficient_points" });
    expect(await redeem(db, { shopDomain: domain, memberId: member.id, rewardId: reward("FREE_SHIPPING").id, requestId: "b" })).toEqual({ ok: false, reason: "tier_required" });
    expect(await redeem(db, { shopDomain: domain, memberId: member.id, rewardId: reward("VARIABLE_AMOUNT").id, requestId: "c", points: 150 })).toEqual({ ok: false, reason: "invalid_points" });
    expect(await db.ledgerEntry.count({ where: { memberId: member.id } })).toBe(before);
    expect(await db.redemption.count({ where: { memberId: member.id } })).toBe(0);
  });

  it("converts any amount of points at the merchant's rate", async () => {
    const { domain, member, reward } = await memberWith(400);
    const result = await redeem(db, { shopDomain: domain, memberId: member.id, rewardId: reward("VARIABLE_AMOUNT").id, requestId: "v", points: 300 });
    expect(result.ok && JSON.parse(result.redemption.terms)).toMatchObject({ kind: "FIXED_AMOUNT", valueMinor: 300, pointsCost: 300 });
    expect(await balanceOf(member.id)).toBe(100);
  });

  it("gives the points back when the platform refuses the code for good", async () => {
    const { domain, member, reward } = await memberWith(600);
    const result = await redeem(db, { shopDomain: domain, memberId: member.id, rewardId: reward("FIXED_AMOUNT").id, requestId: "p" });
    const issuer = new RecordingIssuer();
    issuer.script = ["permanent"];
    expect(await issueRedemption(db, result.ok ? result.redemption.id : "", issuer)).toBe("compensated");
    expect(await balanceOf(member.id)).toBe(600);
    const failed = await db.redemption.findFirstOrThrow({ where: { memberId: member.id } });
    expect(failed.status).toBe("FAILED");
    // Running it again changes nothing.
    expect(await issueRedemption(db, failed.id, issuer)).toBe("already_done");
    expect(await balanceOf(member.id)).toBe(600);
  });

  it("recovers redemptions left pending: finishes a code the platform has, creates a missing one", async () => {
    const { domain, member, reward } = await memberWith(1_500);
    const issuer = new RecordingIssuer();
    const first = await redeem(db, { shopDomain: domain, memberId: member.id, rewardId: reward("FIXED_AMOUNT").id, requestId: "x1" });
    const second = await redeem(db, { shopDomain: domain, memberId: member.id, rewardId: reward("FIXED_AMOUNT").id, requestId: "x2" });
    if (!first.ok || !second.ok) throw new Error("setup");
    issuer.script = ["ok-then-crash", "transient"];
    expect(await issueRedemption(db, first.redemption.id, issuer)).toBe("retry_later");
    expect(await issueRedemption(db, second.redemption.id, issuer)).toBe("retry_later");
    const later = new Date(Date.now() + 5 * 60_000);
    expect(await recoverPendingRedemptions(db, domain, issuer, { now: later })).toMatchObject({ issued: 2 });
    const all = await db.redemption.findMany({ where: { memberId: member.id } });
    expect(all.map((r) => r.status)).toEqual(["ISSUED", "ISSUED"]);
    expect(issuer.codes.size).toBe(2);
    expect(await balanceOf(member.id)).toBe(500);
  });

  it("marks a redemption used when an order arrives with its code", async () => {
    const { domain, member, reward } = await memberWith(600);
    const result = await redeem(db, { shopDomain: domain, memberId: member.id, rewardId: reward("FIXED_AMOUNT").id, requestId: "u" });
    if (!result.ok) throw new Error("setup");
    await issueRedemption(db, result.redemption.id, new RecordingIssuer());
    const who = customer(member.platformCustomerId);
    await processEvent(db, { shopDomain: domain, dedupeKey: "o2", topic: "t" }, {
      type: "order",
      order: order("o2", who, [line("l", 3_000)], { discountCodes: [result.redemption.code.toLowerCase()] }),
    });
    const used = await db.redemption.findUniqueOrThrow({ where: { id: result.redemption.id } });
    expect(used.status).toBe("USED");
    expect(used.usedOnOrderId).toBe("o2");
  });

  it("expires unused codes and returns their points only when the merchant chose so", async () => {
    for (const returnPoints of [false, true]) {
      const { domain, shop, member, reward } = await memberWith(600);
      await db.program.update({ where: { shopId: shop.id }, data: { returnPointsOnExpiredCodes: returnPoints } });
      const result = await redeem(db, { shopDomain: domain, memberId: member.id, rewardId: reward("FIXED_AMOUNT").id, requestId: "e" });
      if (!result.ok) throw new Error("setup");
      await issueRedemption(db, result.redemption.id, new RecordingIssuer());
      expect(await expireRedemptions(db, domain, new Date(Date.now() + 29 * 86_400_000))).toEqual({ expired: 0, refunded: 0 });
      const later = new Date(Date.now() + 31 * 86_400_000);
      expect(await expireRedemptions(db, domain, later)).toEqual({ expired: 1, refunded: returnPoints ? 1 : 0 });
      expect(await expireRedemptions(db, domain, later)).toEqual({ expired: 0, refunded: 0 });
      expect(await balanceOf(member.id)).toBe(returnPoints ? 600 : 100);
      expect((await db.redemption.findUniqueOrThrow({ where: { id: result.redemption.id } })).status).toBe("EXPIRED");
    }
  });

  it("grants a tier's entry reward once when a member reaches it, even by jumping past it", async () => {
    const domain = `redeem-${++seq}.myshopify.com`;
    const shop = await installShop(db, domain);
    const freeShipping = await db.reward.findFirstOrThrow({ where: { shopId: shop.id, kind: "FREE_SHIPPING" } });
    await db.tier.update({ where: { shopId_position: { shopId: shop.id, position: 1 } }, data: { entryRewardId: freeShipping.id } });
    const who = customer("jumper");
    // 100 welcome + 1,200 points: Bronze straight to Gold, passing Silver.
    await processEvent(db, { shopDomain: domain, dedupeKey: "o1", topic: "t" }, { type: "order", order: order("o1", who, [line("l", 120_000)]) });
    await processEvent(db, { shopDomain: domain, dedupeKey: "o2", topic: "t" }, { type: "order", order: order("o2", who, [line("l", 10_000)], { processedAt: new Date("2025-03-01T00:00:00Z") }) });
    const member = await db.member.findFirstOrThrow({ where: { shopId: shop.id }, include: { tier: true } });
    expect(member.tier?.name).toBe("Gold");
    const grants = await db.redemption.findMany({ where: { memberId: member.id } });
    expect(grants).toHaveLength(1);
    expect(grants[0]).toMatchObject({ rewardId: freeShipping.id, pointsSpent: 0, status: "PENDING" });
    expect(await db.outboxMessage.count({ where: { shopId: shop.id, kind: "redemption.issue" } })).toBe(1);
    expect(await issueRedemption(db, grants[0].id, new RecordingIssuer())).toBe("issued");
    expect(await balanceOf(member.id)).toBe(member.balance);
  });

  it("a refused entry reward fails without touching the balance (nothing was paid for it)", async () => {
    const domain = `redeem-${++seq}.myshopify.com`;
    const shop = await installShop(db, domain);
    const fiveOff = await db.reward.findFirstOrThrow({ where: { shopId: shop.id, kind: "FIXED_AMOUNT" } });
    await db.tier.update({ where: { shopId_position: { shopId: shop.id, position: 0 } }, data: { entryRewardId: fiveOff.id } });
    await processEvent(db, { shopDomain: domain, dedupeKey: "c", topic: "t" }, { type: "customer", customer: customer("newbie") });
    const member = await db.member.findFirstOrThrow({ where: { shopId: shop.id } });
    const grant = await db.redemption.findFirstOrThrow({ where: { memberId: member.id } });
    expect(JSON.parse(grant.terms)).toMatchObject({ pointsCost: 0, valueMinor: 500 });
    const issuer = new RecordingIssuer();
    issuer.script = ["permanent"];
    expect(await issueRedemption(db, grant.id, issuer)).toBe("compensated");
    expect(await balanceOf(member.id)).toBe(100);
    expect(await db.ledgerEntry.count({ where: { memberId: member.id, kind: "REDEMPTION_REFUND" } })).toBe(0);
  });

  it("1,000 concurrent redemptions never overdraw, never double-spend, and give each debit one code", async () => {
    const members = await Promise.all(Array.from({ length: 10 }, () => memberWith(2_600)));
    const attempts = Array.from({ length: 1_000 }, (_, i) => {
      const m = members[i % members.length];
      // Some requests repeat an earlier request id, as a double click or a retry would.
      const requestId = `req-${i % 700}`;
      return redeem(db, { shopDomain: m.domain, memberId: m.member.id, rewardId: m.reward("FIXED_AMOUNT").id, requestId });
    });
    const results = await Promise.all(attempts);
    const fresh = results.filter((r) => r.ok && !r.replayed);
    const refused = results.filter((r) => !r.ok);
    expect(refused.every((r) => !r.ok && r.reason === "insufficient_points")).toBe(true);
    // 2,600 points each buy five 500-point rewards.
    expect(fresh).toHaveLength(50);
    for (const m of members) {
      expect(await balanceOf(m.member.id)).toBe(100);
      const redemptions = await db.redemption.findMany({ where: { memberId: m.member.id } });
      const debits = await db.ledgerEntry.findMany({ where: { memberId: m.member.id, kind: "REDEMPTION" } });
      expect(redemptions).toHaveLength(5);
      expect(new Set(redemptions.map((r) => r.code)).size).toBe(5);
      expect(debits.map((d) => d.sourceId).sort()).toEqual(redemptions.map((r) => r.id).sort());
      expect(debits.reduce((sum, d) => sum - d.points, 0)).toBe(redemptions.reduce((sum, r) => sum + r.pointsSpent, 0));
    }
  });
});
