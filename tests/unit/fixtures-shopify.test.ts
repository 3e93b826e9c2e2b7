import { describe, it, expect } from "vitest";
import {
  cancelledOrder,
  lineItemId,
  shopifyOrder,
  shopifyRefund,
  withRefunds,
  type OrderSpec,
} from "../fixtures/shopify/orders";
import { emailMarketingConsentUpdate, shopifyCustomer } from "../fixtures/shopify/customers";
import { appUninstalled, customersDataRequest, customersRedact, shopRedact } from "../fixtures/shopify/compliance";
import { addAmounts, convertAmount, fromMinor, multiplyAmount, normalizeAmount, subtractAmounts, toMinor } from "../fixtures/shopify/money";

type Bag = { shop_money: { amount: string; currency_code: string }; presentment_money: { amount: string; currency_code: string } };
type Json = Record<string, any>;

const asJson = (value: unknown): Json => value as Json;
const sumOf = (currency: string, amounts: string[]) => addAmounts(currency, "0", ...amounts);

/** Every *_set in the payload, with its path. */
function moneySets(value: unknown, path = "$"): [string, Bag][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => moneySets(v, `${path}[${i}]`));
  if (value === null || typeof value !== "object") return [];
  const record = value as Json;
  if ("shop_money" in record && "presentment_money" in record) return [[path, record as Bag]];
  return Object.entries(record).flatMap(([k, v]) => moneySets(v, `${path}.${k}`));
}

const baseSpec: OrderSpec = {
  id: 5001,
  customer: { id: 901, email: "ola@example.com", firstName: "Ola", lastName: "Nowak", acceptsMarketing: true, tags: "vip" },
  lines: [
    { productId: 11, quantity: 3, unitPrice: "19.99", discount: "6.00", tax: "4.32" },
    { productId: 12, quantity: 1, unitPrice: "45.00", discount: "4.00", tax: "3.28" },
    { productId: 13, quantity: 1, unitPrice: "25.00", giftCard: true },
  ],
  shipping: { price: "8.00", discount: "3.00", tax: "0.40" },
  discountCodes: [
    { code: "SPRING10", amount: "10.00", type: "fixed_amount" },
    { code: "SHIPHALF", amount: "3.00", type: "shipping" },
  ],
};

describe("shopifyOrder totals", () => {
  const order = asJson(shopifyOrder(baseSpec));

  it("adds up like Shopify's order totals", () => {
    const lineGross = order.line_items.map((li: Json) => multiplyAmount(li.price, li.quantity, "USD"));
    expect(order.total_line_items_price).toBe(sumOf("USD", lineGross));
    expect(order.total_line_items_price).toBe("129.97");
    const lineDiscounts = order.line_items.flatMap((li: Json) => li.discount_allocations.map((a: Json) => a.amount));
    expect(order.subtotal_price).toBe(subtractAmounts("USD", order.total_line_items_price, ...lineDiscounts));
    expect(order.subtotal_price).toBe("119.97");
    expect(order.total_discounts).toBe("13.00");
    expect(order.total_tax).toBe("8.00");
    expect(order.total_shipping_price_set.shop_money.amount).toBe("8.00");
    expect(order.shipping_lines[0].discounted_price).toBe("5.00");
    expect(order.total_price).toBe(addAmounts("USD", order.subtotal_price, "5.00", order.total_tax));
    expect(order.current_total_price).toBe(order.total_price);
    expect(order.name).toBe("#6001");
    expect(order.refunds).toEqual([]);
  });

  it("allocates discount codes exactly and keeps total_discount at zero", () => {
    expect(order.discount_applications.map((a: Json) => a.target_type)).toEqual(["line_item", "shipping_line"]);
    const byApp = (index: number) =>
      sumOf("USD", [...order.line_items, ...order.shipping_lines]
        .flatMap((x: Json) => x.discount_allocations)
        .filter((a: Json) => a.discount_application_index === index)
        .map((a: Json) => a.amount));
    expect(byApp(0)).toBe("10.00");
    expect(byApp(1)).toBe("3.00");
    expect(order.discount_codes).toEqual([
      { code: "SPRING10", amount: "10.00", type: "fixed_amount" },
      { code: "SHIPHALF", amount: "3.00", type: "shipping" },
    ]);
    for (const li of order.line_items) expect(li.total_discount).toBe("0.00");
    expect(order.line_items[2]).toMatchObject({ gift_card: true, taxable: false, requires_shipping: false, discount_allocations: [] });
  });

  it("derives line item ids from the order id", () => {
    expect(order.line_items.map((li: Json) => li.id)).toEqual([0, 1, 2].map((i) => lineItemId(5001, i)));
    expect(order.line_items[0].admin_graphql_api_id).toBe(`gid://shopify/LineItem/${lineItemId(5001, 0)}`);
  });

  it("embeds the customer with consent and tags", () => {
    expect(order.customer).toMatchObject({
      id: 901, email: "ola@example.com", tags: "vip", admin_graphql_api_id: "gid://shopify/Customer/901",
      email_marketing_consent: { state: "subscribed", opt_in_level: "single_opt_in" },
    });
    expect(order.customer).not.toHaveProperty("addresses");
    expect(order.email).toBe("ola@example.com");
    expect(order.buyer_accepts_marketing).toBe(true);
  });

  it("does not add included taxes on top", () => {
    const vat = asJson(shopifyOrder({ id: 7, currency: "EUR", taxesIncluded: true, lines: [{ productId: 1, quantity: 2, unitPrice: "24.60", tax: "9.20" }] }));
    expect(vat.total_price).toBe("49.20");
    expect(vat.subtotal_price).toBe("49.20");
    expect(vat.total_tax).toBe("9.20");
    expect(vat.tax_lines[0].rate).toBe(0.23);
  });
});

describe("presentment currency", () => {
  it("converts every *_set with the rate, rounded to the presentment currency", () => {
    const order = shopifyOrder({ ...baseSpec, presentmentCurrency: "PLN", presentmentRate: "3.9871" });
    const sets = moneySets(order);
    expect(sets.length).toBeGreaterThan(20);
    for (const [path, set] of sets) {
      expect(set.shop_money.currency_code, path).toBe("USD");
      expect(set.presentment_money.currency_code, path).toBe("PLN");
      expect(set.presentment_money.amount, path).toBe(convertAmount(set.shop_money.amount, "USD", "PLN", "3.9871"));
    }
    expect(asJson(order).total_price_set.presentment_money.amount).toBe("530.16"); // 132.97 * 3.9871 = 530.1646...
  });

  it("formats JPY without decimals and KWD with three", () => {
    const jpy = asJson(shopifyOrder({
      id: 8, currency: "JPY", presentmentCurrency: "KWD", presentmentRate: "0.00205",
      lines: [{ productId: 1, quantity: 3, unitPrice: "1200", discount: "300", tax: "330" }],
      shipping: { price: "500" },
    }));
    expect(jpy.total_price).toBe("4130");
    expect(jpy.total_tip_received).toBe("0");
    for (const [path, set] of moneySets(jpy)) {
      expect(set.shop_money.amount, path).toMatch(/^-?\d+$/);
      expect(set.presentment_money.amount, path).toMatch(/^-?\d+\.\d{3}$/);
    }
    expect(jpy.total_price_set.presentment_money.amount).toBe("8.467"); // 4130 * 0.00205 = 8.4665
    expect(() => shopifyOrder({ id: 9, currency: "JPY", lines: [{ productId: 1, quantity: 1, unitPrice: "12.50" }] })).toThrow();
  });
});

describe("refunds", () => {
  const order = shopifyOrder(baseSpec);

  it("prorates discounts and tax over refunded units so partial refunds add up", () => {
    const first = asJson(shopifyRefund(order, { id: 71, lines: [{ lineIndex: 0, quantity: 1 }] }));
    const afterFirst = withRefunds(order, [first]);
    const second = asJson(shopifyRefund(afterFirst, { id: 72, lines: [{ lineIndex: 0, quantity: 2 }], shipping: "5.00" }));
    const [a, b] = [first.refund_line_items[0], second.refund_line_items[0]];
    expect(a.line_item_id).toBe(lineItemId(5001, 0));
    expect(a.subtotal_set.shop_money.amount).toBe("17.99"); // 19.99 - 6.00 / 3
    expect(b.subtotal_set.shop_money.amount).toBe("35.98");
    expect(addAmounts("USD", a.subtotal_set.shop_money.amount, b.subtotal_set.shop_money.amount)).toBe("53.97"); // 59.97 - 6.00
    expect(addAmounts("USD", a.total_tax_set.shop_money.amount, b.total_tax_set.shop_money.amount)).toBe("4.32");
    expect(typeof a.subtotal).toBe("number");
    expect(a.subtotal).toBe(17.99);
    expect(first.transactions[0]).toMatchObject({ kind: "refund", status: "success", amount: "19.43", currency: "USD" });
    expect(second.order_adjustments[0]).toMatchObject({ kind: "shipping_refund", amount: "-5.00", tax_amount: "-0.40" });
    expect(second.transactions[0].amount).toBe(addAmounts("USD", "35.98", b.total_tax_set.shop_money.amount, "5.00", "0.40"));
    expect(() => shopifyRefund(withRefunds(afterFirst, [second]), { id: 73, lines: [{ lineIndex: 0, quantity: 1 }] })).toThrow();
  });

  it("updates financial status and current totals on the order", () => {
    const partial = shopifyRefund(order, { id: 81, lines: [{ lineIndex: 1, quantity: 1 }] });
    const once = asJson(withRefunds(order, [partial]));
    expect(once.financial_status).toBe("partially_refunded");
    expect(once.refunds).toHaveLength(1);
    expect(once.line_items[1].current_quantity).toBe(0);
    expect(once.current_subtotal_price).toBe("78.97"); // 119.97 - 41.00
    expect(once.current_total_tax).toBe("4.72");
    expect(once.current_total_price).toBe(addAmounts("USD", "78.97", "5.00", "4.72"));
    expect(once.total_price).toBe(asJson(order).total_price);
    const rest = shopifyRefund(once, { id: 82, lines: [{ lineIndex: 0, quantity: 3 }, { lineIndex: 2, quantity: 1 }], shipping: "5.00" });
    const all = asJson(withRefunds(once, [rest]));
    expect(all.financial_status).toBe("refunded");
    expect(all.current_total_price).toBe("0.00");
    // Only line discounts follow refunded units; the shipping discount stays on the order.
    expect(all.current_total_discounts).toBe("3.00");
  });

  it("refunds in presentment currency with presentment-side proration", () => {
    const foreign = shopifyOrder({ ...baseSpec, presentmentCurrency: "EUR", presentmentRate: "0.9213" });
    const refund = asJson(shopifyRefund(foreign, { id: 91, lines: [{ lineIndex: 0, quantity: 3 }] }));
    const line = asJson(foreign).line_items[0];
    const expected = subtractAmounts("EUR", multiplyAmount(line.price_set.presentment_money.amount, 3, "EUR"),
      ...line.discount_allocations.map((a: Json) => a.amount_set.presentment_money.amount));
    expect(refund.refund_line_items[0].subtotal_set.presentment_money.amount).toBe(expected);
    expect(refund.transactions[0].currency).toBe("EUR");
  });

  it("cancels an order", () => {
    const cancelled = asJson(cancelledOrder(shopifyOrder({ ...baseSpec, financialStatus: "authorized" }), "2025-11-04T09:00:00-05:00"));
    expect(cancelled).toMatchObject({ cancelled_at: "2025-11-04T09:00:00-05:00", cancel_reason: "customer", financial_status: "voided" });
    expect(cancelled.line_items.every((li: Json) => li.fulfillable_quantity === 0)).toBe(true);
  });
});

describe("customers and compliance", () => {
  it("uses the 2025-01+ customer webhook shape", () => {
    const customer = shopifyCustomer({ id: 42, email: null, state: "enabled", tags: "vip", acceptsMarketing: true });
    expect(customer).toMatchObject({ id: 42, email: null, verified_email: false, state: "enabled", admin_graphql_api_id: "gid://shopify/Customer/42" });
    expect(customer).not.toHaveProperty("tags");
    expect(customer).not.toHaveProperty("email_marketing_consent");
    expect(asJson(customer).default_address).toEqual(asJson(customer).addresses[0]);
    expect(emailMarketingConsentUpdate({ id: 42, acceptsMarketing: true })).toMatchObject({ customer_id: 42, email_marketing_consent: { state: "subscribed" } });
  });

  it("builds the compliance payloads", () => {
    const customer = { id: 42, email: "a@example.com", phone: null };
    expect(customersDataRequest({ shopId: 1, shopDomain: "s.myshopify.com", customer, ordersRequested: [5], dataRequestId: 9 }))
      .toEqual({ shop_id: 1, shop_domain: "s.myshopify.com", orders_requested: [5], customer, data_request: { id: 9 } });
    expect(customersRedact({ shopId: 1, shopDomain: "s.myshopify.com", customer, ordersToRedact: [5] }))
      .toEqual({ shop_id: 1, shop_domain: "s.myshopify.com", customer, orders_to_redact: [5] });
    expect(shopRedact({ shopId: 1, shopDomain: "s.myshopify.com" })).toEqual({ shop_id: 1, shop_domain: "s.myshopify.com" });
    expect(appUninstalled("tier-shop.myshopify.com")).toMatchObject({ myshopify_domain: "tier-shop.myshopify.com", currency: "USD", name: "Tier Shop" });
  });
});

describe("money helpers", () => {
  it("is exact and respects currency decimals", () => {
    expect(addAmounts("USD", "0.1", "0.2")).toBe("0.30");
    expect(normalizeAmount("1200.00", "JPY")).toBe("1200");
    expect(fromMinor(toMinor("-1.5", "KWD"), "KWD")).toBe("-1.500");
    expect(convertAmount("10.00", "USD", "JPY", "149.505")).toBe("1495");
    expect(convertAmount("0.05", "USD", "EUR", "0.9")).toBe("0.05"); // 0.045 rounds half away from zero
    expect(() => toMinor("1.005", "USD")).toThrow();
    expect(() => toMinor("1", "XYZ")).toThrow();
  });
});
