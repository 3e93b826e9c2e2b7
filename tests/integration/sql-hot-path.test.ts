import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@prisma/client";
import { sqlOf } from "../../app/db.server";
import { processEvent, processEvents } from "../../app/loyalty/events.server";
import { checkMember } from "../../app/loyalty/ledger.server";
import { installShop } from "../../app/loyalty/program.server";
import { loadShopContext, loadShopContextInTransaction } from "../../app/loyalty/shop-context.server";
import { writeTransaction } from "../../app/loyalty/transaction.server";
import { freshDatabase } from "../support/database";
import { customer, line, order } from "../support/facts";

let db: PrismaClient;
beforeAll(() => {
  db = freshDatabase().db;
});
afterAll(() => db.$disconnect());

describe("plain SQL on the hot path, beside Prisma", () => {
  it("reads the shop's program, rules and tiers exactly as Prisma does", async () => {
    const shop = await installShop(db, "sql-context.myshopify.com", { currency: "EUR", timezone: "Europe/Warsaw" });
    await db.program.update({ where: { shopId: shop.id }, data: { includeShipping: true, excludedProductIds: '["7"]' } });
    const viaPrisma = await loadShopContext(db, "sql-context.myshopify.com");
    const viaSql = await writeTransaction(db, async (tx) => loadShopContextInTransaction(tx, "sql-context.myshopify.com"));
    expect(viaSql).toEqual(viaPrisma);
    expect(await writeTransaction(db, async (tx) => loadShopContextInTransaction(tx, "nobody.myshopify.com"))).toBeNull();
  });

  it("writes rows Prisma reads back with the same types (dates, booleans, ids)", async () => {
    await installShop(db, "sql-rows.myshopify.com");
    const outcome = await processEvent(db, { shopDomain: "sql-rows.myshopify.com", dedupeKey: "r1", topic: "test" }, { type: "order", order: order("r1", customer("501"), [line("a", 12_345)]) });
    expect(outcome.status).toBe("processed");
    const member = await db.member.findFirstOrThrow({ where: { platformCustomerId: "501", shop: { domain: "sql-rows.myshopify.com" } }, include: { ledger: true, orders: true } });
    expect(member.enrolledAt).toBeInstanceOf(Date);
    expect(typeof member.acceptsMarketing).toBe("boolean");
    expect(member.ledger.map((e) => [e.kind, e.points, e.qualifying])).toEqual(expect.arrayContaining([["ORDER_EARN", 123, true]]));
    expect(member.orders[0].processedAt).toBeInstanceOf(Date);
    expect(member.orders[0].id).toMatch(/^c[0-9a-z]{24}$/);
    expect(await checkMember(db, member)).toEqual([]);
    // A Prisma query with a date filter sees the rows written with plain SQL.
    expect(await db.ledgerEntry.count({ where: { memberId: member.id, createdAt: { lte: new Date(Date.now() + 1000) } } })).toBe(member.ledger.length);
  });

  it("reads the same rows as tuples, in the SELECT's column order, and the same statement text still gives objects", async () => {
    await installShop(db, "sql-tuples.myshopify.com");
    for (const [id, minor] of [["t1", 12_345], ["t2", 700]] as const) {
      await processEvent(db, { shopDomain: "sql-tuples.myshopify.com", dedupeKey: id, topic: "test" }, { type: "order", order: order(id, customer(id === "t1" ? "701" : "702"), [line("a", minor)]) });
    }
    const text = `SELECT "platformCustomerId", "balance", "acceptsMarketing", "lastOrderAt" FROM "Member" WHERE "shopId" = (SELECT "id" FROM "Shop" WHERE "domain" = ?) ORDER BY "platformCustomerId"`;
    const { objects, tuples, again } = await writeTransaction(db, async (tx) => {
      const sql = sqlOf(tx);
      const objects = sql.all<Record<string, unknown>>(text, "sql-tuples.myshopify.com");
      const tuples = sql.tuples<[string, number, number, string]>(text, "sql-tuples.myshopify.com");
      return { objects, tuples, again: sql.all<Record<string, unknown>>(text, "sql-tuples.myshopify.com") };
    });
    expect(tuples).toEqual(objects.map((o) => [o.platformCustomerId, o.balance, o.acceptsMarketing, o.lastOrderAt]));
    expect(tuples.map(([id, balance]) => [id, balance])).toEqual([["701", 223], ["702", 107]]); // the welcome bonus and the order
    expect(typeof tuples[0][1]).toBe("number");
    expect(again).toEqual(objects);
  });

  it("applies a batch in order, each event alone: a failing one is undone by itself and the others are kept", async () => {
    await installShop(db, "sql-batch.myshopify.com");
    const delivery = (key: string) => ({ shopDomain: "sql-batch.myshopify.com", dedupeKey: key, topic: "test" });
    const good = (id: string, minor: number) => ({ delivery: delivery(id), event: { type: "order" as const, order: order(id, customer("601"), [line("a", minor)]) } });
    // An order with an amount no ledger can hold (more points than a safe integer) fails inside its savepoint.
    const bad = { delivery: delivery("bad"), event: { type: "order" as const, order: order("bad", customer("601"), [line("a", 2 ** 60)]) } };
    const outcomes = await processEvents(db, [good("b1", 10_000), bad, good("b2", 20_000), good("b1", 10_000)]);
    expect(outcomes.map((o) => o.status)).toEqual(["processed", "failed", "processed", "duplicate"]);
    const member = await db.member.findFirstOrThrow({ where: { platformCustomerId: "601", shop: { domain: "sql-batch.myshopify.com" } } });
    expect(await db.orderRecord.count({ where: { memberId: member.id } })).toBe(2);
    expect(await db.webhookDelivery.count({ where: { dedupeKey: "bad" } })).toBe(0);
    expect(await checkMember(db, member)).toEqual([]);
  });

  it("refuses plain SQL outside a transaction, where another transaction's statements could mix with it", () => {
    expect(() => sqlOf(db as never)).toThrow(/interactive transaction/);
  });
});
