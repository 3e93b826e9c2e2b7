import { describe, expect, it } from "vitest";
import { decodeEvent, encodeEvent } from "../../app/loyalty/event-codec";
import { loyaltyEvent } from "../../app/platforms/shopify/events";
import type { LoyaltyEvent } from "../../app/loyalty/types";
import { shopifyCustomer } from "../fixtures/shopify/customers";
import { shopifyOrder } from "../fixtures/shopify/orders";
import { customer, line, order, refund } from "../support/facts";

describe("a validated event stored as text", () => {
  const events: LoyaltyEvent[] = [
    { type: "order", order: order("o1", customer("7", { createdAt: new Date("2025-03-01T10:00:00.123Z") }), [line("a", 1234)], { paidAt: new Date("2026-01-02T03:04:05.000Z"), cancelledAt: new Date("2026-01-03T00:00:00.000Z") }) },
    { type: "order", order: order("guest", null, [line("a", 99), line("b", 1)]) },
    { type: "refund", platformOrderId: "o1", refund: refund("r1", new Date("2026-02-01T00:00:00.000Z"), [{ lineId: "a", quantity: 1, subtotalMinor: 500, taxMinor: 0 }]) },
    { type: "customer", customer: customer("8", { createdAt: null }) },
    loyaltyEvent("ORDERS_PAID", shopifyOrder({ id: 42, customer: { id: 9, email: "a@example.com", firstName: "Ada", lastName: "L", state: "enabled" }, lines: [{ productId: 1, quantity: 2, unitPrice: "12.50" }], processedAt: "2026-05-05T05:05:05.000Z" }), new Date()),
    loyaltyEvent("CUSTOMERS_CREATE", shopifyCustomer({ id: 10, email: "b@example.com", firstName: "Bo", lastName: "K", state: "enabled" }), new Date()),
  ];

  it("comes back equal, dates as dates", () => {
    for (const event of events) expect(decodeEvent(encodeEvent(event))).toEqual(event);
  });

  it("leaves text that only looks like a date alone unless its field is a date field", () => {
    const event = decodeEvent(encodeEvent({ type: "customer", customer: { ...customer("11"), firstName: "2026-01-01T00:00:00.000Z" } }));
    expect(event.type === "customer" && event.customer.firstName).toBe("2026-01-01T00:00:00.000Z");
  });
});
