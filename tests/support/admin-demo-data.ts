import type { PrismaClient } from "@prisma/client";
import { processEvent } from "../../app/loyalty/events.server";
import { installShop } from "../../app/loyalty/program.server";
import { redeem } from "../../app/loyalty/redemptions.server";
import { adjustPoints } from "../../app/loyalty/adjustments.server";
import { customer, line, order, refund } from "./facts";

export const DEMO_SHOP = "tierwise-demo.myshopify.com";
const DAY = 86_400_000;
const FIRST = ["Anna", "Jan", "Zofia", "Piotr", "Marta", "Tomáš", "Eva", "Karel", "Ada", "Grace", "Alan", "Linus", "Ola", "Michał", "Jana", "Petr"];
const LAST = ["Nowak", "Kowalska", "Wiśniewski", "Novák", "Svobodová", "Dvořák", "Lovelace", "Hopper", "Turing", "Zielińska", "Černý", "Kamińska"];

/** A demo shop with a few months of history through the real core: orders, a refund, codes, an adjustment. */
export async function seedAdminDemo(db: PrismaClient, members = 80, now = new Date()) {
  await installShop(db, DEMO_SHOP, { currency: "USD", timezone: "Europe/Warsaw" });
  await db.session.upsert({
    where: { id: `offline_${DEMO_SHOP}` },
    create: { id: `offline_${DEMO_SHOP}`, shop: DEMO_SHOP, state: "demo", isOnline: false, accessToken: "shpat_tierwise_demo_token", scope: "read_orders" },
    update: {},
  });
  let seed = 7;
  const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
  for (let i = 1; i <= members; i++) {
    const id = String(7_000_000 + i);
    const who = customer(id, {
      firstName: FIRST[i % FIRST.length],
      lastName: LAST[(i * 7) % LAST.length],
      email: `${FIRST[i % FIRST.length].toLowerCase().normalize("NFD").replace(/[^a-z]/g, "")}.${i}@example.com`,
      createdAt: new Date(now.getTime() - (120 + i) * DAY),
    });
    const orders = 1 + Math.floor(random() * 4);
    for (let k = 0; k < orders; k++) {
      const at = new Date(now.getTime() - Math.floor(random() * 110) * DAY - k * DAY);
      const amount = 2000 + Math.floor(random() * 40_000);
      const orderId = `${id}-${k}`;
      await processEvent(db, { shopDomain: DEMO_SHOP, dedupeKey: `paid:${orderId}`, topic: "orders/paid" }, { type: "order", order: order(orderId, who, [line(`${orderId}-l`, amount)], { processedAt: at, name: `#${1000 + i * 10 + k}` }) });
      if (i % 9 === 0 && k === 0) {
        await processEvent(db, { shopDomain: DEMO_SHOP, dedupeKey: `refund:${orderId}`, topic: "refunds/create" }, { type: "refund", platformOrderId: orderId, refund: refund(`r-${orderId}`, new Date(at.getTime() + 3 * DAY), [{ lineId: `${orderId}-l`, quantity: 1, subtotalMinor: Math.floor(amount / 2), taxMinor: 0 }]) });
      }
    }
  }
  // Guests (no account) so the dashboard can compare members with other customers.
  for (let g = 1; g <= 15; g++) {
    const guest = customer(`9${g}`, { hasAccount: false, email: `guest${g}@example.com` });
    await processEvent(db, { shopDomain: DEMO_SHOP, dedupeKey: `guest:${g}`, topic: "orders/paid" }, { type: "order", order: order(`g${g}`, guest, [line(`g${g}-l`, 3000 + g * 500)], { processedAt: new Date(now.getTime() - g * 5 * DAY) }) });
  }
  const shop = await db.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP }, include: { rewards: true } });
  const top = await db.member.findMany({ where: { shopId: shop.id }, orderBy: { balance: "desc" }, take: 6 });
  const fiveOff = shop.rewards.find((r) => r.kind === "FIXED_AMOUNT")!;
  for (const [n, m] of top.entries()) {
    await redeem(db, { shopDomain: DEMO_SHOP, memberId: m.id, rewardId: fiveOff.id, requestId: `demo-redeem-${n}` }, new Date(now.getTime() - n * 3 * DAY));
  }
  await adjustPoints(db, { shopDomain: DEMO_SHOP, memberId: top[0].id, points: 250, reason: "Apology for a late parcel", staff: "staff:84512", requestId: "demo-adjust-1" });
  return { topMemberId: top[0].id };
}
