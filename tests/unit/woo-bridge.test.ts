import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { couponBody } from "../../woo-bridge/src/coupon-issuer.server";
import { allocate, orderDedupeKey, orderFacts, parseWoo, wooOrder, WooPayloadError } from "../../woo-bridge/src/payloads";
import { signPluginRequest, verifyPluginSignature } from "../../woo-bridge/src/plugin-signature";
import { decryptSecret, encryptionKey, encryptSecret, EncryptionKeyError } from "../../app/secrets.server";
import { parseStoreUrl } from "../../woo-bridge/src/store-url";

const order = (overrides: Record<string, unknown> = {}) =>
  parseWoo(wooOrder, {
    id: 42,
    number: "42",
    status: "processing",
    currency: "USD",
    date_created_gmt: "2026-11-01T10:00:00",
    date_modified_gmt: "2026-11-01T10:05:00",
    date_paid_gmt: "2026-11-01T10:05:00",
    customer_id: 7,
    billing: { email: "Ada@Example.com", first_name: "Ada" },
    line_items: [
      { id: 1, product_id: 10, quantity: 2, total: "40.00", total_tax: "8.00" },
      { id: 2, product_id: 11, quantity: 1, total: "10.00", total_tax: "2.00" },
    ],
    shipping_lines: [{ total: "5.00", total_tax: "0.00" }],
    refunds: [],
    ...overrides,
  });

describe("WooCommerce orders as core facts", () => {
  it("earns at the chosen status only", () => {
    expect(orderFacts(order(), "processing").paidAt).toEqual(new Date("2026-11-01T10:05:00Z"));
    expect(orderFacts(order(), "completed").paidAt).toBeNull();
    expect(orderFacts(order({ status: "completed", date_completed_gmt: "2026-11-02T00:00:00" }), "completed").paidAt).not.toBeNull();
    expect(orderFacts(order({ status: "on-hold" }), "processing").paidAt).toBeNull();
    expect(orderFacts(order({ status: "cancelled" }), "processing").cancelledAt).toEqual(new Date("2026-11-01T10:05:00Z"));
    expect(orderFacts(order({ status: "failed" }), "processing").cancelledAt).not.toBeNull();
  });

  it("spreads a refund over lines and shipping in proportion, summing exactly to the refund", () => {
    // Grand total 48 + 12 + 5 = 65.00; refund 13.00 = 20%.
    const facts = orderFacts(order({ refunds: [{ id: 9, total: "-13.00" }] }), "processing");
    const refund = facts.refunds[0];
    expect(refund.lines).toEqual([
      { lineId: "1", quantity: 0, subtotalMinor: 800, taxMinor: 160 },
      { lineId: "2", quantity: 0, subtotalMinor: 200, taxMinor: 40 },
    ]);
    expect(refund.shippingMinor).toBe(100);
  });

  it("allocates any amount exactly", () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.array(fc.nat(100_000), { minLength: 1, maxLength: 8 }), (total, weights) => {
        const parts = allocate(total, weights);
        const sum = weights.reduce((a, b) => a + b, 0);
        if (sum === 0 || total === 0) return parts.every((p) => p === 0);
        return parts.reduce((a, b) => a + b, 0) === total && parts.every((p, i) => p >= 0 && (weights[i] > 0 || p === 0));
      }),
    );
  });

  it("dedupes on the order's state, not on the delivery", () => {
    expect(orderDedupeKey(order())).toBe(orderDedupeKey(order()));
    expect(orderDedupeKey(order())).not.toBe(orderDedupeKey(order({ status: "completed" })));
    expect(orderDedupeKey(order())).not.toBe(orderDedupeKey(order({ refunds: [{ id: 9, total: "-1.00" }] })));
  });

  it("refuses a payload that is not an order", () => {
    expect(() => parseWoo(wooOrder, { id: "x" })).toThrow(WooPayloadError);
    expect(() => order({ date_modified_gmt: "yesterday" })).toThrow(WooPayloadError);
  });
});

describe("coupon fields", () => {
  const terms = {
    rewardId: "r",
    name: "Reward",
    kind: "FIXED_AMOUNT" as const,
    pointsCost: 500,
    valueMinor: 750,
    percentage: 0,
    variantId: null,
    minimumSubtotalMinor: null,
    currency: "USD",
    combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: true },
    codeExpiryDays: 30,
  };
  const request = { code: "TW-A", title: "Reward (TW-A)", terms, platformCustomerId: "7", customerEmail: "Ada@Example.com", startsAt: new Date(), endsAt: new Date("2026-12-24T18:30:00Z") };

  it("maps each reward kind", () => {
    expect(couponBody(request)).toMatchObject({ code: "TW-A", discount_type: "fixed_cart", amount: "7.50", usage_limit: 1, usage_limit_per_user: 1, email_restrictions: ["ada@example.com"], individual_use: true, free_shipping: false, date_expires: "2026-12-24T18:30:00Z" });
    expect(couponBody({ ...request, terms: { ...terms, kind: "PERCENTAGE", percentage: 15 } })).toMatchObject({ discount_type: "percent", amount: "15" });
    expect(couponBody({ ...request, terms: { ...terms, kind: "FREE_SHIPPING" } })).toMatchObject({ discount_type: "fixed_cart", amount: "0", free_shipping: true });
    expect(couponBody({ ...request, terms: { ...terms, kind: "FREE_PRODUCT", variantId: "55" } })).toMatchObject({ discount_type: "percent", amount: "100", product_ids: [55] });
    expect(couponBody({ ...request, terms: { ...terms, minimumSubtotalMinor: 2500 } })).toMatchObject({ minimum_amount: "25.00" });
  });

  it("allows other coupons only when the reward combines with order or product discounts", () => {
    expect(couponBody({ ...request, terms: { ...terms, combinesWith: { orderDiscounts: true, productDiscounts: false, shippingDiscounts: false } } }).individual_use).toBe(false);
    expect(couponBody({ ...request, terms: { ...terms, combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: false } } }).individual_use).toBe(false);
    expect(couponBody({ ...request, terms: { ...terms, combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: true } } }).individual_use).toBe(true);
  });
});

describe("store URLs", () => {
  it("requires HTTPS except for a loopback test store", () => {
    expect(parseStoreUrl("https://Shop.Example.com/", false)).toEqual({ ok: true, url: "https://shop.example.com", domain: "shop.example.com" });
    expect(parseStoreUrl("https://example.com/shop/", false)).toMatchObject({ ok: true, domain: "example.com/shop" });
    expect(parseStoreUrl("http://shop.example.com", true)).toEqual({ ok: false, reason: "https_required" });
    expect(parseStoreUrl("http://127.0.0.1:8080", true)).toMatchObject({ ok: true, domain: "127.0.0.1:8080" });
    expect(parseStoreUrl("http://127.0.0.1:8080", false)).toEqual({ ok: false, reason: "invalid_url" });
    expect(parseStoreUrl("ftp://shop.example.com", true)).toEqual({ ok: false, reason: "invalid_url" });
    expect(parseStoreUrl("https://user:pw@shop.example.com", true)).toEqual({ ok: false, reason: "invalid_url" });
    expect(parseStoreUrl("not a url", true)).toEqual({ ok: false, reason: "invalid_url" });
    for (const internal of ["https://10.0.0.5", "https://192.168.1.10", "https://172.20.0.1", "https://169.254.169.254", "https://[fd00::1]", "https://[::]"]) {
      expect(parseStoreUrl(internal, false), internal).toEqual({ ok: false, reason: "invalid_url" });
    }
    expect(parseStoreUrl("https://172.32.0.1", false)).toMatchObject({ ok: true });
  });
});

describe("secrets at rest", () => {
  it("round-trips under AES-256-GCM and refuses another purpose or a tampered ciphertext", () => {
    const key = encryptionKey({ TIERWISE_ENCRYPTION_KEY: "11".repeat(32) });
    const sealed = encryptSecret("cs_secret", "woo:c1:consumerSecret", key);
    expect(sealed).not.toContain("cs_secret");
    expect(decryptSecret(sealed, "woo:c1:consumerSecret", key)).toBe("cs_secret");
    expect(() => decryptSecret(sealed, "woo:c2:consumerSecret", key)).toThrow();
    const parts = sealed.split(":");
    parts[3] = Buffer.from("tampered").toString("base64url");
    expect(() => decryptSecret(parts.join(":"), "woo:c1:consumerSecret", key)).toThrow();
    expect(() => decryptSecret(sealed, "woo:c1:consumerSecret", encryptionKey({ TIERWISE_ENCRYPTION_KEY: "22".repeat(32) }))).toThrow();
  });

  it("needs a key in production and a 32-byte one anywhere", () => {
    expect(() => encryptionKey({ NODE_ENV: "production" })).toThrow(EncryptionKeyError);
    expect(encryptionKey({ NODE_ENV: "development" })).toHaveLength(32);
    expect(() => encryptionKey({ TIERWISE_ENCRYPTION_KEY: "short" })).toThrow(EncryptionKeyError);
    expect(encryptionKey({ TIERWISE_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64") })).toHaveLength(32);
  });
});

describe("plugin signatures", () => {
  it("verifies only the exact request, fresh, for the signed customer", () => {
    const now = 1_800_000_000;
    const sig = signPluginRequest("secret", String(now), "7", "POST", "/woo/storefront/c1/redeem", '{"a":1}');
    const base = { timestamp: String(now), customerId: "7", signature: sig, method: "POST", path: "/woo/storefront/c1/redeem", body: '{"a":1}' };
    expect(verifyPluginSignature("secret", base, now)).toBe(true);
    expect(verifyPluginSignature("secret", { ...base, customerId: "8" }, now)).toBe(false);
    expect(verifyPluginSignature("secret", { ...base, body: '{"a":2}' }, now)).toBe(false);
    expect(verifyPluginSignature("secret", { ...base, path: "/woo/storefront/c2/redeem" }, now)).toBe(false);
    expect(verifyPluginSignature("other", base, now)).toBe(false);
    expect(verifyPluginSignature("secret", base, now + 301)).toBe(false);
    expect(verifyPluginSignature("secret", { ...base, signature: null }, now)).toBe(false);
  });
});
