import {
  resolveNamespace,
  type CustomerRecord,
  type DiscountRecord,
  type MetafieldRecord,
  type ShopState,
} from "./state";

/**
 * Records to GraphQL-shaped objects. graphql-js calls function-valued properties with the
 * field's arguments, and resolves unions and interfaces through `__typename`.
 */

export interface ViewContext {
  shop: ShopState;
  now: number;
}

interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
}

const legacyId = (gid: string) => gid.split("/").pop() ?? gid;

/** Shopify's opaque cursors are base64 JSON of the row's id. */
function cursorOf(id: string): string {
  const last = legacyId(id);
  return Buffer.from(JSON.stringify({ last_id: Number(last), last_value: last })).toString("base64");
}

/** Relay pagination over a list whose items carry an `id`. */
export function connection<T extends { id: string }>(all: T[], args: ConnectionArgs) {
  let items = args.reverse ? [...all].reverse() : [...all];
  const start = args.after ? items.findIndex((item) => cursorOf(item.id) === args.after) + 1 : 0;
  const endIndex = args.before ? items.findIndex((item) => cursorOf(item.id) === args.before) : -1;
  items = items.slice(start, endIndex >= 0 ? endIndex : undefined);
  const before = items.length;
  if (args.first != null) items = items.slice(0, args.first);
  if (args.last != null) items = items.slice(Math.max(0, items.length - args.last));
  return {
    nodes: items,
    edges: items.map((node) => ({ cursor: cursorOf(node.id), node })),
    pageInfo: {
      hasNextPage: args.first != null && before > items.length,
      hasPreviousPage: start > 0 || (args.last != null && before > items.length),
      startCursor: items.length ? cursorOf(items[0].id) : null,
      endCursor: items.length ? cursorOf(items[items.length - 1].id) : null,
    },
  };
}

export function metafieldView(m: MetafieldRecord) {
  return { __typename: "Metafield", ...m, ownerType: "CUSTOMER" };
}

export function customerView(c: CustomerRecord, ctx: ViewContext) {
  const name = [c.firstName, c.lastName].filter(Boolean).join(" ");
  return {
    __typename: "Customer",
    ...c,
    displayName: name || c.email || "",
    metafield: ({ namespace, key }: { namespace?: string | null; key: string }) => {
      const ns = resolveNamespace(namespace, ctx.shop.config.apiClientId);
      for (const m of ctx.shop.metafields.values()) {
        if (m.ownerId === c.id && m.namespace === ns && m.key === key) return metafieldView(m);
      }
      return null;
    },
  };
}

function money(amount: string, ctx: ViewContext) {
  return { amount, currencyCode: ctx.shop.config.currencyCode };
}

function status(d: DiscountRecord, now: number): "ACTIVE" | "EXPIRED" | "SCHEDULED" {
  if (now < d.startsAt) return "SCHEDULED";
  if (d.endsAt != null && now >= d.endsAt) return "EXPIRED";
  return "ACTIVE";
}

function contextView(d: DiscountRecord, ctx: ViewContext) {
  const { context } = d;
  if (context.kind === "customers") {
    const customers = context.customerIds.flatMap((id) => {
      const c = ctx.shop.customers.get(id);
      return c ? [customerView(c, ctx)] : [];
    });
    return { __typename: "DiscountCustomers", customers };
  }
  if (context.kind === "segments") {
    const segments = context.segmentIds.flatMap((id) => {
      const s = ctx.shop.segments.get(id);
      return s ? [{ __typename: "Segment", ...s }] : [];
    });
    return { __typename: "DiscountCustomerSegments", segments };
  }
  return { __typename: "DiscountBuyerSelectionAll", all: "ALL" };
}

function minimumView(d: DiscountRecord, ctx: ViewContext) {
  const min = d.minimumRequirement;
  if (!min) return null;
  if ("subtotal" in min) return { __typename: "DiscountMinimumSubtotal", greaterThanOrEqualToSubtotal: money(min.subtotal, ctx) };
  return { __typename: "DiscountMinimumQuantity", greaterThanOrEqualToQuantity: min.quantity };
}

/** An approximation of Shopify's generated summary ("10% off entire order • Minimum purchase of $1.00"). */
function summary(d: DiscountRecord, ctx: ViewContext): string {
  const parts: string[] = [];
  const currency = ctx.shop.config.currencyCode;
  const symbol = ({ USD: "$", CAD: "$", AUD: "$", NZD: "$", EUR: "€", GBP: "£", JPY: "¥" } as Record<string, string>)[currency] ?? `${currency} `;
  const fmt = (amount: string) => `${symbol}${Number(amount).toFixed(2)}`;
  if (d.type === "DiscountCodeBasic") {
    const value = d.customerGets.value;
    const off = "percentage" in value ? `${Math.round(value.percentage * 10000) / 100}% off` : `${fmt(value.amount)} off`;
    const items = d.customerGets.items;
    parts.push(items === "all" ? `${off} entire order` : `${off} ${items.productIds.length + items.variantIds.length} items`);
  } else {
    parts.push(d.destination === "all" ? "Free shipping on all products" : "Free shipping on selected countries");
  }
  const min = d.minimumRequirement;
  if (min && "subtotal" in min) parts.push(`Minimum purchase of ${fmt(min.subtotal)}`);
  if (min && "quantity" in min) parts.push(`Minimum quantity of ${min.quantity}`);
  if (d.context.kind === "customers") parts.push(`For ${d.context.customerIds.length} customer${d.context.customerIds.length === 1 ? "" : "s"}`);
  if (d.appliesOncePerCustomer) parts.push("One use per customer");
  if (d.usageLimit != null) parts.push(`Limit of ${d.usageLimit} use${d.usageLimit === 1 ? "" : "s"}`);
  return parts.join(" • ");
}

export function discountView(d: DiscountRecord, ctx: ViewContext) {
  const common = {
    __typename: d.type,
    title: d.title,
    appliesOncePerCustomer: d.appliesOncePerCustomer,
    asyncUsageCount: d.codes.reduce((sum, c) => sum + c.asyncUsageCount, 0),
    codes: (args: ConnectionArgs) => connection(d.codes, args),
    codesCount: { count: d.codes.length, precision: "EXACT" },
    combinesWith: { ...d.combinesWith, productDiscountsWithTagsOnSameCartLine: null },
    context: contextView(d, ctx),
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    startsAt: d.startsAt,
    endsAt: d.endsAt,
    minimumRequirement: minimumView(d, ctx),
    recurringCycleLimit: d.recurringCycleLimit,
    status: status(d, ctx.now),
    summary: summary(d, ctx),
    shortSummary: summary(d, ctx).split(" • ")[0],
    usageLimit: d.usageLimit,
  };
  if (d.type === "DiscountCodeFreeShipping") {
    return {
      ...common,
      appliesOnOneTimePurchase: d.appliesOnOneTimePurchase,
      appliesOnSubscription: d.appliesOnSubscription,
      discountClasses: ["SHIPPING"],
      destinationSelection:
        d.destination === "all"
          ? { __typename: "DiscountCountryAll", allCountries: true }
          : { __typename: "DiscountCountries", ...d.destination },
      maximumShippingPrice: d.maximumShippingPrice == null ? null : money(d.maximumShippingPrice, ctx),
    };
  }
  const { value, items } = d.customerGets;
  return {
    ...common,
    tags: d.tags,
    discountClasses: [items === "all" ? "ORDER" : "PRODUCT"],
    customerGets: {
      appliesOnOneTimePurchase: d.customerGets.appliesOnOneTimePurchase,
      appliesOnSubscription: d.customerGets.appliesOnSubscription,
      value:
        "percentage" in value
          ? { __typename: "DiscountPercentage", percentage: value.percentage }
          : { __typename: "DiscountAmount", amount: money(value.amount, ctx), appliesOnEachItem: value.appliesOnEachItem },
      items:
        items === "all"
          ? { __typename: "AllDiscountItems", allItems: true }
          : {
              __typename: "DiscountProducts",
              products: (args: ConnectionArgs) =>
                connection(items.productIds.flatMap((id) => productView(id, ctx)), args),
              productVariants: (args: ConnectionArgs) =>
                connection(items.variantIds.flatMap((id) => variantView(id, ctx)), args),
            },
    },
  };
}

function productView(id: string, ctx: ViewContext) {
  const p = ctx.shop.products.get(id);
  return p ? [{ __typename: "Product", ...p }] : [];
}

function variantView(id: string, ctx: ViewContext) {
  const v = ctx.shop.variants.get(id);
  return v ? [{ __typename: "ProductVariant", ...v, product: productView(v.productId, ctx)[0] }] : [];
}

export function discountNodeView(d: DiscountRecord, ctx: ViewContext) {
  return { __typename: "DiscountCodeNode", id: d.id, codeDiscount: discountView(d, ctx) };
}
