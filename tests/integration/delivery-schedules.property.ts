import type { PrismaClient } from "@prisma/client";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processEvent } from "../../app/loyalty/events.server";
import { checkMember } from "../../app/loyalty/ledger.server";
import { installShop } from "../../app/loyalty/program.server";
import type { LoyaltyEvent, OrderFacts } from "../../app/loyalty/types";
import { freshDatabase } from "../support/database";
import { customer, DAY, line, order, refund } from "../support/facts";

/**
 * Property: however a customer's events are delivered (each one to three times, in any order,
 * several at the same moment, refunds before payments), the member ends with exactly the balance,
 * lifetime points and tier that one in-order delivery of each event gives, and the ledger-recompute
 * check holds. TIERWISE_SCHEDULES sets how many schedules (default 10,000).
 */
const SCHEDULES = Number(process.env.TIERWISE_SCHEDULES ?? 10_000);
const SCHEDULES_PER_HISTORY = 4;

let db: PrismaClient;
let shopSeq = 0;

const programArb = fc.record({
  tierBasis: fc.constantFrom("POINTS", "SPEND"),
  tierPeriod: fc.constantFrom("LIFETIME", "CALENDAR_YEAR", "ROLLING_12_MONTHS"),
  awardOn: fc.constantFrom("PAID", "FULFILLED"),
  rounding: fc.constantFrom("DOWN", "NEAREST", "UP"),
  negativeBalancePolicy: fc.constantFrom("FLOOR_AT_ZERO", "ALLOW_DEBT"),
  includeShipping: fc.boolean(),
  includeTaxes: fc.boolean(),
});

const orderArb = fc.record({
  day: fc.integer({ min: 0, max: 720 }),
  lines: fc.array(fc.record({ net: fc.integer({ min: 0, max: 60_000 }), tax: fc.integer({ min: 0, max: 5_000 }), quantity: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 3 }),
  shipping: fc.integer({ min: 0, max: 2_000 }),
  fulfilledAfter: fc.option(fc.integer({ min: 0, max: 10 }), { nil: null }),
  refunds: fc.array(fc.record({ after: fc.integer({ min: 1, max: 60 }), lineIndex: fc.nat(), share: fc.integer({ min: 1, max: 100 }), shipping: fc.boolean() }), { maxLength: 2 }),
  cancelAfter: fc.option(fc.integer({ min: 1, max: 90 }), { nil: null, freq: 5 }),
  updatedAfterRefunds: fc.boolean(),
});

type Arb<A> = A extends fc.Arbitrary<infer T> ? T : never;
type OrderSpec = Arb<typeof orderArb>;
type ProgramSpec = Arb<typeof programArb>;

const historyArb = fc.record({ program: programArb, orders: fc.array(orderArb, { minLength: 1, maxLength: 4 }), guest: fc.boolean() });

interface TimedEvent {
  at: number;
  key: string;
  event: LoyaltyEvent;
}

const T0 = Date.parse("2025-01-01T09:00:00Z");

/** The customer's events with the moment each happened. */
function eventsOf(history: { orders: OrderSpec[] }): TimedEvent[] {
  const who = customer("c1", { createdAt: new Date(T0) });
  const events: TimedEvent[] = [{ at: T0, key: "customer", event: { type: "customer", customer: who } }];
  history.orders.forEach((spec, o) => {
    const id = `o${o}`;
    const placed = T0 + spec.day * DAY + o * 1000;
    const lines = spec.lines.map((l, i) => line(`${id}-l${i}`, l.net, { taxMinor: l.tax, quantity: l.quantity }));
    const base = order(id, who, lines, { processedAt: new Date(placed), shippingMinor: spec.shipping, shippingTaxMinor: Math.floor(spec.shipping / 5) });
    events.push({ at: placed, key: `${id}:paid`, event: { type: "order", order: base } });
    if (spec.fulfilledAfter !== null) {
      const at = placed + spec.fulfilledAfter * DAY + 1;
      events.push({ at, key: `${id}:fulfilled`, event: { type: "order", order: { ...base, fulfilledAt: new Date(at) } } });
    }
    const refunds = spec.refunds.map((r, i) => {
      const target = lines[r.lineIndex % lines.length];
      return refund(`${id}-r${i}`, new Date(placed + r.after * DAY + i), [
        { lineId: target.lineId, quantity: 1, subtotalMinor: Math.floor((target.netMinor * r.share) / 100), taxMinor: Math.floor((target.taxMinor * r.share) / 100) },
      ], r.shipping ? spec.shipping : 0);
    });
    refunds.forEach((r, i) => events.push({ at: r.createdAt.getTime(), key: `${id}:refund${i}`, event: { type: "refund", platformOrderId: id, refund: r } }));
    const lastRefund = Math.max(placed, ...refunds.map((r) => r.createdAt.getTime()));
    if (spec.updatedAfterRefunds && refunds.length) {
      events.push({ at: lastRefund + 1, key: `${id}:updated`, event: { type: "order", order: { ...base, refunds } } });
    }
    if (spec.cancelAfter !== null) {
      const at = placed + spec.cancelAfter * DAY + 2;
      const cancelled: OrderFacts = { ...base, cancelledAt: new Date(at), refunds: refunds.filter((r) => r.createdAt.getTime() <= at) };
      events.push({ at, key: `${id}:cancelled`, event: { type: "order", order: cancelled } });
    }
  });
  return events.sort((a, b) => a.at - b.at);
}

async function shopWith(program: ProgramSpec) {
  const domain = `schedule-${process.pid}-${++shopSeq}.myshopify.com`;
  const shop = await installShop(db, domain, { timezone: "Europe/Warsaw" });
  await db.program.update({ where: { shopId: shop.id }, data: program as never });
  return domain;
}

async function outcome(domain: string) {
  const member = await db.member.findFirst({ where: { shop: { domain } }, include: { tier: true } });
  if (!member) return null;
  const problems = await checkMember(db, member);
  return { balance: member.balance, lifetimePoints: member.lifetimePoints, tier: member.tier?.name ?? null, problems };
}

const scheduleArb = (n: number) =>
  fc.record({
    copies: fc.array(fc.constantFrom(1, 1, 2, 3), { minLength: n, maxLength: n }),
    keys: fc.array(fc.integer(), { minLength: 3 * n, maxLength: 3 * n }),
    batches: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 3 * n, maxLength: 3 * n }),
  });

async function deliverSchedule(domain: string, events: TimedEvent[], schedule: Arb<ReturnType<typeof scheduleArb>>) {
  const deliveries = events.flatMap((e, i) => Array.from({ length: schedule.copies[i] }, () => e));
  const shuffled = deliveries.map((d, i) => ({ d, k: schedule.keys[i] })).sort((a, b) => a.k - b.k).map((x) => x.d);
  for (let i = 0, b = 0; i < shuffled.length; b++) {
    const batch = shuffled.slice(i, i + schedule.batches[b]);
    i += batch.length;
    // Deliveries in a batch run at the same moment, as concurrent webhook requests do.
    await Promise.all(batch.map((d) => processEvent(db, { shopDomain: domain, dedupeKey: d.key, topic: "test" }, d.event)));
  }
}

/**
 * The run is split into shards (one test file each) so that Vitest runs them on separate cores;
 * together they cover TIERWISE_SCHEDULES schedules.
 */
export function deliverySchedulesShard(shard: number, shards: number) {
  const count = Math.ceil(SCHEDULES / shards);
  beforeAll(() => {
    db = freshDatabase().db;
  });
  afterAll(() => db.$disconnect());

  describe(`delivery schedules (shard ${shard} of ${shards})`, () => {
  it(`any of ${count} delivery schedules ends where one in-order delivery ends`, async () => {
    let schedules = 0;
    await fc.assert(
      fc.asyncProperty(
        historyArb.chain((history) => {
          const events = eventsOf(history);
          return fc.tuple(fc.constant(history), fc.constant(events), fc.array(scheduleArb(events.length), { minLength: SCHEDULES_PER_HISTORY, maxLength: SCHEDULES_PER_HISTORY }));
        }),
        async ([history, events, schedules_]) => {
          const reference = await shopWith(history.program);
          for (const e of events) await processEvent(db, { shopDomain: reference, dedupeKey: e.key, topic: "test" }, e.event);
          const expected = await outcome(reference);
          expect(expected?.problems).toEqual([]);
          for (const schedule of schedules_) {
            const domain = await shopWith(history.program);
            await deliverSchedule(domain, events, schedule);
            expect(await outcome(domain)).toEqual(expected);
            schedules++;
            // SQLite answers synchronously, so this loop runs on microtasks alone; let the event
            // loop breathe so the worker can talk to the Vitest runner.
            await new Promise((resolve) => setImmediate(resolve));
          }
        },
      ),
      { numRuns: Math.ceil(count / SCHEDULES_PER_HISTORY), endOnFailure: false },
    );
    expect(schedules).toBeGreaterThanOrEqual(count);
    console.log(`shard ${shard}/${shards}: ${schedules} delivery schedules checked`);
  }, 5_400_000);
  });
}
