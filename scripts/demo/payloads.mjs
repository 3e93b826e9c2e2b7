// Shopify REST webhook bodies (Admin API 2026-07) in plain JS, for the demo. They follow the same
// documented shapes as tests/fixtures/shopify (see its README for sources): amounts are decimal
// strings, every *_set carries shop and presentment money, discounts live in discount_allocations,
// refund_line_items carry subtotal_set/total_tax_set. Money is computed in integer cents.

export const SHOP_CURRENCY = "USD";
export const SHOP_TIMEZONE = "Europe/Warsaw";
const TAX_RATE = 0.08;
const SHIPPING = { price: 599, freeFrom: 7500 };

export const money = (cents) => (cents < 0 ? "-" : "") + (Math.abs(cents) / 100).toFixed(2);
const gid = (type, id) => `gid://shopify/${type}/${id}`;

const zoneFormat = new Intl.DateTimeFormat("en-US", {
  timeZone: SHOP_TIMEZONE, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
});

/** "2026-03-14T18:02:11+01:00": Shopify prints times in the shop's time zone. */
export function shopTime(ms) {
  const at = new Date(ms);
  const p = Object.fromEntries(
    zoneFormat.formatToParts(at)
      .map((x) => [x.type, x.value]),
  );
  const wall = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
  const offset = Math.round((wall - Math.floor(ms / 1000) * 1000) / 60000);
  const hh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, "0");
  const mm = String(Math.abs(offset) % 60).padStart(2, "0");
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${offset < 0 ? "-" : "+"}${hh}:${mm}`;
}

/** A *_set: shop money and what the buyer saw in their currency. */
function moneySet(cents, presentment) {
  return {
    shop_money: { amount: money(cents), currency_code: SHOP_CURRENCY },
    presentment_money: { amount: money(Math.round(cents * presentment.rate)), currency_code: presentment.code },
  };
}

function address(c) {
  return {
    first_name: c.firstName, last_name: c.lastName, name: `${c.firstName} ${c.lastName}`, company: null,
    address1: "ul. Długa 12", address2: null, city: "Kraków", province: null, zip: "31-147",
    country: "Poland", country_code: "PL", province_code: null, phone: c.phone, latitude: null, longitude: null,
  };
}

/** customers/create (2025-01+ shape: no tags or marketing consent on customers/* topics). */
export function customerPayload(c) {
  const created = shopTime(c.createdAt.getTime());
  const addr = { id: c.id * 10 + 1, customer_id: c.id, ...address(c), country_name: "Poland", default: true };
  for (const k of ["latitude", "longitude"]) delete addr[k];
  return {
    id: c.id, email: c.email, created_at: created, updated_at: created, first_name: c.firstName, last_name: c.lastName,
    state: "enabled", note: null, verified_email: true, multipass_identifier: null, tax_exempt: false, phone: c.phone,
    currency: SHOP_CURRENCY, addresses: [addr], tax_exemptions: [], admin_graphql_api_id: gid("Customer", c.id), default_address: addr,
  };
}

/** The customer as embedded in an order (consent and tags included). */
function orderCustomer(c) {
  const { addresses: _unused, ...base } = customerPayload(c);
  return {
    ...base,
    email_marketing_consent: { state: c.acceptsMarketing ? "subscribed" : "not_subscribed", opt_in_level: "single_opt_in", consent_updated_at: c.acceptsMarketing ? base.created_at : null },
    sms_marketing_consent: null,
    tags: "",
  };
}

/** Splits `total` over `bases` in proportion, exactly (the last share takes the remainder). */
function split(total, bases) {
  const sum = bases.reduce((a, b) => a + b, 0);
  let left = total;
  return bases.map((b, i) => {
    const share = i === bases.length - 1 ? left : sum === 0 ? 0 : Math.round((total * b) / sum);
    left -= share;
    return share;
  });
}

/**
 * orders/paid. spec: { id, number, customer, at (ms), lines: [{ product, quantity }], code: { code, percent } | null,
 * presentment: { code, rate } }.
 */
export function orderPayload(spec) {
  const pres = spec.presentment ?? { code: SHOP_CURRENCY, rate: 1 };
  const set = (cents) => moneySet(cents, pres);
  const at = shopTime(spec.at);
  const gross = spec.lines.map((l) => l.product.price * l.quantity);
  const discountable = spec.lines.map((l, i) => (l.product.giftCard ? 0 : gross[i]));
  const codeTotal = spec.code ? Math.round((discountable.reduce((a, b) => a + b, 0) * spec.code.percent) / 100) : 0;
  const discounts = split(codeTotal, discountable);
  const net = gross.map((g, i) => g - discounts[i]);
  const taxes = spec.lines.map((l, i) => (l.product.giftCard ? 0 : Math.round(net[i] * TAX_RATE)));
  const physical = spec.lines.some((l) => !l.product.giftCard);
  const subtotal = net.reduce((a, b) => a + b, 0);
  const shipping = !physical ? null : subtotal >= SHIPPING.freeFrom ? 0 : SHIPPING.price;
  const shipTax = shipping ? Math.round(shipping * TAX_RATE) : 0;
  const totalTax = taxes.reduce((a, b) => a + b, 0) + shipTax;
  const total = subtotal + (shipping ?? 0) + totalTax;
  const taxLine = (cents, base) => ({ channel_liable: false, price: money(cents), price_set: set(cents), rate: base ? Math.round((cents / base) * 1e4) / 1e4 : 0, title: "Sales Tax" });
  const lineItems = spec.lines.map((l, i) => {
    const id = spec.id * 1000 + 1 + i;
    const variantId = l.product.id * 10 + 1;
    const gift = Boolean(l.product.giftCard);
    return {
      id, admin_graphql_api_id: gid("LineItem", id), attributed_staffs: [], current_quantity: l.quantity,
      fulfillable_quantity: l.quantity, fulfillment_service: gift ? "gift_card" : "manual", fulfillment_status: null,
      gift_card: gift, grams: gift ? 0 : 300, name: l.product.title, price: money(l.product.price), price_set: set(l.product.price),
      product_exists: true, product_id: l.product.id, properties: [], quantity: l.quantity, requires_shipping: !gift,
      sku: `TW-${variantId}`, taxable: !gift, title: l.product.title, total_discount: "0.00", total_discount_set: set(0),
      variant_id: variantId, variant_inventory_management: gift ? null : "shopify", variant_title: null, vendor: "Tierwise Roasters",
      tax_lines: gift ? [] : [taxLine(taxes[i], net[i])], duties: [],
      discount_allocations: discounts[i] > 0 ? [{ amount: money(discounts[i]), amount_set: set(discounts[i]), discount_application_index: 0 }] : [],
    };
  });
  const shippingLines = shipping === null ? [] : [{
    id: spec.id * 1000 + 900, carrier_identifier: null, code: shipping ? "Standard" : "Free shipping",
    current_discounted_price_set: set(shipping), discount_allocations: [], discounted_price: money(shipping), discounted_price_set: set(shipping),
    is_removed: false, phone: null, price: money(shipping), price_set: set(shipping), requested_fulfillment_service_id: null,
    source: "shopify", tax_lines: shipping ? [taxLine(shipTax, shipping)] : [], title: shipping ? "Standard" : "Free shipping",
  }];
  const c = spec.customer;
  const token = `${spec.id.toString(16)}${c.id.toString(16)}`.padEnd(32, "0").slice(0, 32);
  const discountTotal = discounts.reduce((a, b) => a + b, 0);
  return {
    id: spec.id, admin_graphql_api_id: gid("Order", spec.id), app_id: 580111, browser_ip: "203.0.113.7",
    buyer_accepts_marketing: c.acceptsMarketing, cancel_reason: null, cancelled_at: null, cart_token: `c${token.slice(1)}`,
    checkout_token: `k${token.slice(1)}`, client_details: { accept_language: "pl-PL", browser_height: null, browser_ip: "203.0.113.7", browser_width: null, session_hash: null, user_agent: "Mozilla/5.0" },
    closed_at: null, company: null, confirmation_number: token.slice(0, 9).toUpperCase(), confirmed: true, contact_email: c.email,
    created_at: at, currency: SHOP_CURRENCY,
    current_shipping_price_set: set(shipping ?? 0), current_subtotal_price: money(subtotal), current_subtotal_price_set: set(subtotal),
    current_total_additional_fees_set: null, current_total_discounts: money(discountTotal), current_total_discounts_set: set(discountTotal),
    current_total_duties_set: null, current_total_price: money(total), current_total_price_set: set(total),
    current_total_tax: money(totalTax), current_total_tax_set: set(totalTax), customer_locale: "pl", device_id: null,
    discount_codes: spec.code ? [{ code: spec.code.code, amount: money(discountTotal), type: "percentage" }] : [],
    duties_included: false, email: c.email, estimated_taxes: false, financial_status: "paid", fulfillment_status: null,
    landing_site: "/", landing_site_ref: null, location_id: null, merchant_of_record_app_id: null, name: `#${spec.number}`,
    note: null, note_attributes: [], number: spec.number - 1000, order_number: spec.number,
    order_status_url: `https://tierwise-demo.myshopify.com/70000000001/orders/${token}/authenticate?key=${token}`,
    original_total_additional_fees_set: null, original_total_duties_set: null, payment_gateway_names: ["shopify_payments"],
    phone: null, po_number: null, presentment_currency: pres.code, processed_at: at, reference: null, referring_site: null,
    source_identifier: null, source_name: "web", source_url: null, subtotal_price: money(subtotal), subtotal_price_set: set(subtotal),
    tags: "", tax_exempt: false, tax_lines: totalTax ? [taxLine(totalTax, subtotal + (shipping ?? 0))] : [], taxes_included: false,
    test: false, token, total_cash_rounding_payment_adjustment_set: set(0), total_cash_rounding_refund_adjustment_set: set(0),
    total_discounts: money(discountTotal), total_discounts_set: set(discountTotal),
    total_line_items_price: money(gross.reduce((a, b) => a + b, 0)), total_line_items_price_set: set(gross.reduce((a, b) => a + b, 0)),
    total_outstanding: "0.00", total_price: money(total), total_price_set: set(total), total_shipping_price_set: set(shipping ?? 0),
    total_tax: money(totalTax), total_tax_set: set(totalTax), total_tip_received: "0.00",
    total_weight: lineItems.reduce((s, li) => s + li.grams * li.quantity, 0), updated_at: at, user_id: null,
    billing_address: address(c), customer: orderCustomer(c),
    discount_applications: spec.code ? [{ target_type: "line_item", type: "discount_code", value: `${spec.code.percent}.0`, value_type: "percentage", allocation_method: "across", target_selection: "all", code: spec.code.code }] : [],
    fulfillments: [], line_item_groups: [], line_items: lineItems, payment_terms: null, refunds: [], returns: [],
    shipping_address: physical ? address(c) : null, shipping_lines: shippingLines,
    _presentment: pres,
  };
}

const cents = (amount) => Math.round(Number(amount) * 100);

/** refunds/create for an order payload: every line (and shipping) with `all`, else all units of one line. */
export function refundPayload(order, { id, at, all = false, lineIndex = 0 }) {
  const pres = order._presentment;
  const set = (c) => moneySet(c, pres);
  const when = shopTime(at);
  const items = all ? order.line_items : [order.line_items[lineIndex]];
  const lines = items.map((item, k) => {
    const discount = item.discount_allocations.reduce((s, d) => s + cents(d.amount_set.shop_money.amount), 0);
    const subtotal = cents(item.price) * item.quantity - discount;
    const tax = item.tax_lines.reduce((s, t) => s + cents(t.price_set.shop_money.amount), 0);
    return {
      id: id * 1000 + k + 1, line_item_id: item.id, location_id: item.gift_card ? null : 64230000001, quantity: item.quantity,
      restock_type: item.gift_card ? "no_restock" : "return", subtotal: subtotal / 100, subtotal_set: set(subtotal),
      total_tax: tax / 100, total_tax_set: set(tax), line_item: item,
    };
  });
  const ship = all ? order.shipping_lines[0] : null;
  const shipAmount = ship ? cents(ship.discounted_price) : 0;
  const shipTax = ship ? ship.tax_lines.reduce((s, t) => s + cents(t.price), 0) : 0;
  const adjustments = shipAmount > 0 ? [{
    id: id * 1000 + 700, order_id: order.id, refund_id: id, amount: money(-shipAmount), tax_amount: money(-shipTax),
    kind: "shipping_refund", reason: "Shipping refund", amount_set: set(-shipAmount), tax_amount_set: set(-shipTax),
  }] : [];
  const total = lines.reduce((s, l) => s + cents(l.subtotal_set.shop_money.amount) + cents(l.total_tax_set.shop_money.amount), 0) + shipAmount + shipTax;
  return {
    id, order_id: order.id, created_at: when, note: all ? "Customer changed their mind" : "Damaged in transit", user_id: 81000000001,
    processed_at: when, duties: [], total_duties_set: set(0), return: null, restock: true, additional_fees: [], total_additional_fees_set: set(0),
    refund_shipping_lines: shipAmount > 0 ? [{ id: id * 1000 + 800, shipping_line_id: ship.id, subtotal_amount_set: set(shipAmount) }] : [],
    admin_graphql_api_id: gid("Refund", id), order_adjustments: adjustments, refund_line_items: lines,
    transactions: [{
      id: id * 1000 + 500, order_id: order.id, kind: "refund", gateway: "shopify_payments", status: "success", message: "Refund processed",
      created_at: when, test: false, authorization: null, location_id: null, user_id: null, parent_id: order.id * 1000 + 999, processed_at: when,
      device_id: null, error_code: null, source_name: "1830279", receipt: {}, amount: money(Math.round(total * pres.rate)), currency: pres.code,
      payment_id: `${order.name}.2`, manual_payment_gateway: false, amount_rounding: null, admin_graphql_api_id: gid("OrderTransaction", id * 1000 + 500),
    }],
  };
}

/** orders/cancelled: the order cancelled by the customer, refunded in full by `refund`. */
export function cancelledPayload(order, refund, at) {
  const when = shopTime(at);
  return {
    ...order, cancelled_at: when, cancel_reason: "customer", updated_at: when, financial_status: "refunded",
    line_items: order.line_items.map((li) => ({ ...li, fulfillable_quantity: 0, current_quantity: 0 })), refunds: [refund],
  };
}

/** The JSON Shopify would send: our bookkeeping fields (leading underscore) stay home. */
export const wireBody = (payload) => JSON.stringify(payload, (key, value) => (key.startsWith("_") ? undefined : value));
