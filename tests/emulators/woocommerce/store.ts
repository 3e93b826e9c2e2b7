/**
 * The state of an emulated WooCommerce store and its REST (wc/v3) representations: customers,
 * orders with refunds, coupons, webhooks, API keys. Field names, string money ("10.00"), and the
 * local/GMT date pairs without a zone ("2026-11-23T10:00:00") follow WooCommerce's REST API docs.
 */

export type Permission = "read" | "write" | "read_write";
export interface ApiKey {
  consumerKey: string;
  consumerSecret: string;
  permissions: Permission;
}

export interface Customer {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  username: string;
  created: Date;
  modified: Date;
}

export interface LineInput {
  productId: number;
  name?: string;
  quantity: number;
  /** Price of one unit before tax, minor units. */
  unitMinor: number;
  taxMinor?: number;
  /** Discount on the whole line, minor units. */
  discountMinor?: number;
}

export interface Refund {
  id: number;
  amountMinor: number;
  reason: string;
  created: Date;
}

export interface Order {
  id: number;
  status: string;
  currency: string;
  customer_id: number;
  billing: { first_name: string; last_name: string; email: string; phone: string };
  lines: (LineInput & { id: number })[];
  shippingMinor: number;
  shippingTaxMinor: number;
  couponCodes: string[];
  created: Date;
  modified: Date;
  paid: Date | null;
  completed: Date | null;
  refunds: Refund[];
}

export interface Coupon {
  id: number;
  code: string;
  amount: string;
  discount_type: "percent" | "fixed_cart" | "fixed_product";
  description: string;
  date_expires: string | null;
  individual_use: boolean;
  product_ids: number[];
  excluded_product_ids: number[];
  usage_limit: number | null;
  usage_limit_per_user: number | null;
  free_shipping: boolean;
  exclude_sale_items: boolean;
  minimum_amount: string;
  maximum_amount: string;
  email_restrictions: string[];
  usage_count: number;
  created: Date;
  modified: Date;
}

export type WebhookStatus = "active" | "paused" | "disabled";
export interface Webhook {
  id: number;
  name: string;
  status: WebhookStatus;
  topic: string;
  delivery_url: string;
  secret: string;
  failure_count: number;
  created: Date;
  modified: Date;
}

/** "2026-11-23T10:00:00": WooCommerce's date format (no zone; the *_gmt twin is UTC). */
export function wcDate(date: Date | null): string | null {
  return date ? date.toISOString().slice(0, 19) : null;
}

export const money = (minor: number) => (minor / 100).toFixed(2);

export class WooStore {
  private nextId = 100;
  readonly customers = new Map<number, Customer>();
  readonly orders = new Map<number, Order>();
  readonly coupons = new Map<number, Coupon>();
  readonly webhooks = new Map<number, Webhook>();
  readonly keys: ApiKey[] = [];
  currency = "USD";
  /** The emulated clock: every change moves it forward by at least a second (modified times differ). */
  private clockMs = Date.UTC(2026, 10, 1, 9, 0, 0);

  id() {
    return this.nextId++;
  }

  tick(): Date {
    this.clockMs = Math.max(this.clockMs + 1000, Math.floor(Date.now() / 1000) * 1000);
    return new Date(this.clockMs);
  }

  lineTotalMinor(line: LineInput) {
    return line.unitMinor * line.quantity - (line.discountMinor ?? 0);
  }

  orderTotalMinor(order: Order) {
    return (
      order.lines.reduce((sum, l) => sum + this.lineTotalMinor(l) + (l.taxMinor ?? 0), 0) + order.shippingMinor + order.shippingTaxMinor
    );
  }

  refundedMinor(order: Order) {
    return order.refunds.reduce((sum, r) => sum + r.amountMinor, 0);
  }

  customerView(c: Customer) {
    return {
      id: c.id,
      date_created: wcDate(c.created),
      date_created_gmt: wcDate(c.created),
      date_modified: wcDate(c.modified),
      date_modified_gmt: wcDate(c.modified),
      email: c.email,
      first_name: c.first_name,
      last_name: c.last_name,
      role: "customer",
      username: c.username,
      billing: { first_name: c.first_name, last_name: c.last_name, email: c.email, phone: "" },
      shipping: { first_name: c.first_name, last_name: c.last_name },
      is_paying_customer: [...this.orders.values()].some((o) => o.customer_id === c.id && o.paid),
      avatar_url: "",
      meta_data: [],
    };
  }

  orderView(o: Order) {
    const lineItems = o.lines.map((l) => ({
      id: l.id,
      name: l.name ?? `Product ${l.productId}`,
      product_id: l.productId,
      variation_id: 0,
      quantity: l.quantity,
      tax_class: "",
      subtotal: money(l.unitMinor * l.quantity),
      subtotal_tax: money(l.taxMinor ?? 0),
      total: money(this.lineTotalMinor(l)),
      total_tax: money(l.taxMinor ?? 0),
      taxes: [],
      meta_data: [],
      sku: "",
      price: l.unitMinor / 100,
    }));
    const discount = o.lines.reduce((s, l) => s + (l.discountMinor ?? 0), 0);
    const tax = o.lines.reduce((s, l) => s + (l.taxMinor ?? 0), 0);
    return {
      id: o.id,
      parent_id: 0,
      number: String(o.id),
      order_key: `wc_order_${o.id}`,
      created_via: "checkout",
      version: "9.4.0",
      status: o.status,
      currency: o.currency,
      date_created: wcDate(o.created),
      date_created_gmt: wcDate(o.created),
      date_modified: wcDate(o.modified),
      date_modified_gmt: wcDate(o.modified),
      discount_total: money(discount),
      discount_tax: "0.00",
      shipping_total: money(o.shippingMinor),
      shipping_tax: money(o.shippingTaxMinor),
      cart_tax: money(tax),
      total: money(this.orderTotalMinor(o)),
      total_tax: money(tax + o.shippingTaxMinor),
      prices_include_tax: false,
      customer_id: o.customer_id,
      customer_ip_address: "",
      customer_user_agent: "",
      customer_note: "",
      billing: { ...o.billing, company: "", address_1: "", address_2: "", city: "", state: "", postcode: "", country: "" },
      shipping: { first_name: o.billing.first_name, last_name: o.billing.last_name },
      payment_method: "bacs",
      payment_method_title: "Direct bank transfer",
      transaction_id: "",
      date_paid: wcDate(o.paid),
      date_paid_gmt: wcDate(o.paid),
      date_completed: wcDate(o.completed),
      date_completed_gmt: wcDate(o.completed),
      cart_hash: "",
      meta_data: [],
      line_items: lineItems,
      tax_lines: [],
      shipping_lines: o.shippingMinor || o.shippingTaxMinor
        ? [{ id: o.id * 10, method_title: "Flat rate", method_id: "flat_rate", total: money(o.shippingMinor), total_tax: money(o.shippingTaxMinor), taxes: [] }]
        : [],
      fee_lines: [],
      coupon_lines: o.couponCodes.map((code, i) => ({ id: o.id * 10 + i + 1, code, discount: "0.00", discount_tax: "0.00" })),
      refunds: o.refunds.map((r) => ({ id: r.id, reason: r.reason, total: `-${money(r.amountMinor)}` })),
    };
  }

  refundView(r: Refund) {
    return {
      id: r.id,
      date_created: wcDate(r.created),
      date_created_gmt: wcDate(r.created),
      amount: money(r.amountMinor),
      reason: r.reason,
      refunded_by: 1,
      refunded_payment: false,
      meta_data: [],
      line_items: [],
    };
  }

  couponView(c: Coupon) {
    return {
      id: c.id,
      code: c.code,
      amount: c.amount,
      date_created: wcDate(c.created),
      date_created_gmt: wcDate(c.created),
      date_modified: wcDate(c.modified),
      date_modified_gmt: wcDate(c.modified),
      discount_type: c.discount_type,
      description: c.description,
      date_expires: c.date_expires,
      date_expires_gmt: c.date_expires,
      usage_count: c.usage_count,
      individual_use: c.individual_use,
      product_ids: c.product_ids,
      excluded_product_ids: c.excluded_product_ids,
      usage_limit: c.usage_limit,
      usage_limit_per_user: c.usage_limit_per_user,
      limit_usage_to_x_items: null,
      free_shipping: c.free_shipping,
      product_categories: [],
      excluded_product_categories: [],
      exclude_sale_items: c.exclude_sale_items,
      minimum_amount: c.minimum_amount,
      maximum_amount: c.maximum_amount,
      email_restrictions: c.email_restrictions,
      used_by: [],
      meta_data: [],
    };
  }

  webhookView(w: Webhook) {
    const [resource, event] = w.topic.split(".");
    return {
      id: w.id,
      name: w.name,
      status: w.status,
      topic: w.topic,
      resource,
      event,
      hooks: [`woocommerce_${event === "created" ? "new" : event === "updated" ? "update" : event}_${resource}`],
      delivery_url: w.delivery_url,
      date_created: wcDate(w.created),
      date_created_gmt: wcDate(w.created),
      date_modified: wcDate(w.modified),
      date_modified_gmt: wcDate(w.modified),
    };
  }
}
