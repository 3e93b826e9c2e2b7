/**
 * The emulator's in-memory stores, one per shop, and the seeding helpers the control API uses.
 * Plain data only: resolvers read and write these records, views turn them into GraphQL shapes.
 */

export type Clock = () => number;

export interface CustomerRecord {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  tags: string[];
  createdAt: number;
  updatedAt: number;
}

export interface MetafieldRecord {
  id: string;
  ownerId: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
  createdAt: number;
  updatedAt: number;
}

export interface ProductRecord { id: string; title: string; handle: string }
export interface VariantRecord { id: string; productId: string; title: string; price: string }
export interface SegmentRecord { id: string; name: string; query: string }

export type ContextRecord =
  | { kind: "all" }
  | { kind: "customers"; customerIds: string[] }
  | { kind: "segments"; segmentIds: string[] };

export interface RedeemCodeRecord { id: string; code: string; asyncUsageCount: number }

interface DiscountCommon {
  /** gid://shopify/DiscountCodeNode/N */
  id: string;
  title: string;
  codes: RedeemCodeRecord[];
  startsAt: number;
  endsAt: number | null;
  usageLimit: number | null;
  appliesOncePerCustomer: boolean;
  combinesWith: { orderDiscounts: boolean; productDiscounts: boolean; shippingDiscounts: boolean };
  context: ContextRecord;
  minimumRequirement: { subtotal: string } | { quantity: string } | null;
  recurringCycleLimit: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface BasicDiscountRecord extends DiscountCommon {
  type: "DiscountCodeBasic";
  customerGets: {
    value: { percentage: number } | { amount: string; appliesOnEachItem: boolean };
    items: "all" | { productIds: string[]; variantIds: string[] };
    appliesOnOneTimePurchase: boolean;
    appliesOnSubscription: boolean;
  };
  tags: string[];
}

export interface FreeShippingDiscountRecord extends DiscountCommon {
  type: "DiscountCodeFreeShipping";
  destination: "all" | { countries: string[]; includeRestOfWorld: boolean };
  maximumShippingPrice: string | null;
  appliesOnOneTimePurchase: boolean;
  appliesOnSubscription: boolean;
}

export type DiscountRecord = BasicDiscountRecord | FreeShippingDiscountRecord;

export interface ShopConfig {
  /** e.g. "tierwise-test.myshopify.com" */
  domain: string;
  /** The offline access token the app holds for this shop (X-Shopify-Access-Token). */
  accessToken: string;
  /** The app's API client id: `$app:loyalty` is stored as `app--<apiClientId>--loyalty`. */
  apiClientId?: string;
  name?: string;
  currencyCode?: string;
  ianaTimezone?: string;
}

export interface ShopState {
  config: Required<ShopConfig>;
  customers: Map<string, CustomerRecord>;
  metafields: Map<string, MetafieldRecord>;
  products: Map<string, ProductRecord>;
  variants: Map<string, VariantRecord>;
  segments: Map<string, SegmentRecord>;
  discounts: Map<string, DiscountRecord>;
}

/** Numeric ids in Shopify's range, shared by every resource type of one emulator. */
export class IdSource {
  private next = 7_000_000_000_001;
  gid(type: string): string {
    return `gid://shopify/${type}/${this.next++}`;
  }
}

export function newShopState(config: ShopConfig): ShopState {
  return {
    config: {
      apiClientId: "9999999",
      name: config.domain.replace(/\.myshopify\.com$/, ""),
      currencyCode: "USD",
      ianaTimezone: "America/New_York",
      ...config,
    },
    customers: new Map(),
    metafields: new Map(),
    products: new Map(),
    variants: new Map(),
    segments: new Map(),
    discounts: new Map(),
  };
}

/** Shopify matches discount codes case-insensitively: "SAVE10" and "save10" are the same code. */
export function findDiscountByCode(shop: ShopState, code: string): DiscountRecord | null {
  const wanted = code.trim().toLowerCase();
  for (const discount of shop.discounts.values()) {
    if (discount.codes.some((c) => c.code.toLowerCase() === wanted)) return discount;
  }
  return null;
}

/** Shopify's tag rules: trimmed, no blanks, one of each (case-insensitive), sorted. */
export function normalizeTags(tags: string[]): string[] {
  const seen = new Map<string, string>();
  for (const raw of tags.flatMap((t) => t.split(","))) {
    const tag = raw.trim();
    if (tag && !seen.has(tag.toLowerCase())) seen.set(tag.toLowerCase(), tag);
  }
  return [...seen.values()].sort((a, b) => a.localeCompare(b, "en", { sensitivity: "base" }));
}

/** `$app` and `$app:suffix` name the calling app's reserved namespace; an omitted one means `$app`. */
export function resolveNamespace(namespace: string | null | undefined, apiClientId: string): string {
  const ns = namespace ?? "$app";
  if (ns === "$app") return `app--${apiClientId}`;
  if (ns.startsWith("$app:")) return `app--${apiClientId}--${ns.slice("$app:".length)}`;
  return ns;
}

export interface NewCustomer {
  /** A numeric id or gid to mirror a customer from elsewhere (the demo store); a new id otherwise. */
  id?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  tags?: string[];
}
export interface NewProduct { title: string; variants?: { title?: string; price?: string }[] }

export function seedCustomer(shop: ShopState, ids: IdSource, now: number, input: NewCustomer): CustomerRecord {
  const id = input.id ? (input.id.startsWith("gid://") ? input.id : `gid://shopify/Customer/${input.id}`) : ids.gid("Customer");
  const customer: CustomerRecord = {
    id,
    firstName: input.firstName ?? null,
    lastName: input.lastName ?? null,
    email: input.email ?? null,
    tags: normalizeTags(input.tags ?? []),
    createdAt: now,
    updatedAt: now,
  };
  shop.customers.set(customer.id, customer);
  return customer;
}

export function seedProduct(shop: ShopState, ids: IdSource, input: NewProduct): { product: ProductRecord; variants: VariantRecord[] } {
  const product: ProductRecord = {
    id: ids.gid("Product"),
    title: input.title,
    handle: input.title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, ""),
  };
  shop.products.set(product.id, product);
  const variants = (input.variants?.length ? input.variants : [{}]).map((v) => {
    const variant: VariantRecord = {
      id: ids.gid("ProductVariant"),
      productId: product.id,
      title: v.title ?? "Default Title",
      price: v.price ?? "0.00",
    };
    shop.variants.set(variant.id, variant);
    return variant;
  });
  return { product, variants };
}

export function seedSegment(shop: ShopState, ids: IdSource, input: { name: string; query: string }): SegmentRecord {
  const segment: SegmentRecord = { id: ids.gid("Segment"), ...input };
  shop.segments.set(segment.id, segment);
  return segment;
}
