import type { Db } from "../db.server";
import { writeTransaction } from "./transaction.server";

export interface InstallOptions {
  currency?: string;
  timezone?: string;
  locale?: string;
  platform?: "SHOPIFY" | "WOOCOMMERCE";
}

/**
 * A shop's first install gets a program that works out of the box: 1 point per currency unit,
 * welcome points, Bronze/Silver/Gold. The merchant edits everything in the admin afterwards.
 * Reinstalling keeps the existing program and members.
 */
export async function installShop(db: Db, domain: string, options: InstallOptions = {}) {
  return writeTransaction(db, async (tx) => {
    const existing = await tx.shop.findUnique({ where: { domain }, include: { program: true } });
    if (existing?.program) {
      return tx.shop.update({
        where: { id: existing.id },
        data: { uninstalledAt: null, ...(options.currency ? { currency: options.currency } : {}), ...(options.timezone ? { timezone: options.timezone } : {}) },
      });
    }
    const currency = (options.currency ?? "USD").toUpperCase();
    const shop =
      existing ??
      (await tx.shop.create({
        data: {
          domain,
          platform: options.platform ?? "SHOPIFY",
          currency,
          timezone: options.timezone ?? "UTC",
          locale: options.locale ?? "en",
        },
      }));
    await tx.program.create({ data: { shopId: shop.id } });
    await tx.earningRule.createMany({
      data: [
        { shopId: shop.id, kind: "PURCHASE", points: 1, spendMinor: 100 },
        { shopId: shop.id, kind: "SIGNUP", points: 100 },
        { shopId: shop.id, kind: "BIRTHDAY", points: 200 },
      ],
    });
    await tx.tier.createMany({
      data: [
        { shopId: shop.id, name: "Bronze", position: 0, threshold: 0, multiplierPercent: 100 },
        { shopId: shop.id, name: "Silver", position: 1, threshold: 500, multiplierPercent: 125 },
        { shopId: shop.id, name: "Gold", position: 2, threshold: 1000, multiplierPercent: 150 },
      ],
    });
    const silver = await tx.tier.findUniqueOrThrow({ where: { shopId_position: { shopId: shop.id, position: 1 } } });
    const unit = currency === "JPY" ? 1 : 100;
    await tx.reward.createMany({
      data: [
        { shopId: shop.id, kind: "FIXED_AMOUNT", name: "5 off", pointsCost: 500, valueMinor: 5 * unit },
        { shopId: shop.id, kind: "PERCENTAGE", name: "10% off", pointsCost: 1000, percentage: 10 },
        { shopId: shop.id, kind: "FREE_SHIPPING", name: "Free shipping", pointsCost: 300, minimumTierId: silver.id },
        {
          shopId: shop.id,
          kind: "VARIABLE_AMOUNT",
          name: "Points for money off",
          pointsPerUnit: 100,
          valueMinor: unit,
          minPoints: 100,
          maxPoints: 5000,
        },
      ],
    });
    return shop;
  });
}
