import { GraphQLError } from "graphql";
import { buildBasicDiscount, buildFreeShippingDiscount } from "./discount-input";
import { formatDateTime } from "./scalars";
import {
  findDiscountByCode,
  normalizeTags,
  resolveNamespace,
  type IdSource,
  type MetafieldRecord,
  type ShopState,
} from "./state";
import { customerView, discountNodeView, metafieldView, type ViewContext } from "./views";

/**
 * Root resolvers for one request: queries read the shop's stores, mutations validate like Shopify
 * (userErrors for business errors, nothing half-written) and then write.
 */

const GID = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)$/;
export const METAFIELDS_SET_LIMIT = 25;

/** Metafield types accepted here, with the value check Shopify applies to each. */
const METAFIELD_TYPES: Record<string, (value: string) => string | null> = {
  single_line_text_field: (v) => (/[\r\n]/.test(v) ? "Value must be a single line text string." : null),
  multi_line_text_field: () => null,
  number_integer: (v) => (/^-?\d+$/.test(v) ? null : "Value must be an integer."),
  number_decimal: (v) => (/^-?\d+(\.\d+)?$/.test(v) ? null : "Value must be a decimal."),
  boolean: (v) => (v === "true" || v === "false" ? null : "Value must be true or false."),
  date: (v) => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? null : "Value must be in YYYY-MM-DD format."),
  date_time: (v) => (Number.isNaN(Date.parse(v)) ? "Value must be in YYYY-MM-DDTHH:MM:SS format." : null),
  json: (v) => {
    try {
      JSON.parse(v);
      return null;
    } catch {
      return "Value must be valid JSON.";
    }
  },
};

function checkGid(id: string): void {
  if (!GID.test(id)) throw new GraphQLError(`Invalid global id '${id}'`, { extensions: { code: "argumentLiteralsIncompatible" } });
}

const typeOfGid = (id: string) => GID.exec(id)?.[1] ?? "Resource";

function shopView(shop: ShopState) {
  const numeric = [...shop.config.domain].reduce((n, ch) => (n * 31 + ch.charCodeAt(0)) % 1_000_000_000, 7);
  return {
    __typename: "Shop",
    id: `gid://shopify/Shop/${numeric}`,
    name: shop.config.name,
    myshopifyDomain: shop.config.domain,
    currencyCode: shop.config.currencyCode,
    ianaTimezone: shop.config.ianaTimezone,
  };
}

function ownerExists(shop: ShopState, id: string): boolean {
  return shop.customers.has(id) || shop.products.has(id) || shop.variants.has(id) || id === shopView(shop).id;
}

export function rootResolvers(shop: ShopState, ids: IdSource, now: number) {
  const ctx: ViewContext = { shop, now };

  function changeTags(id: string, change: (current: string[]) => string[]) {
    checkGid(id);
    const customer = shop.customers.get(id);
    if (!customer) return { node: null, userErrors: [{ field: ["id"], message: `${typeOfGid(id)} does not exist` }] };
    customer.tags = normalizeTags(change(customer.tags));
    customer.updatedAt = now;
    return { node: customerView(customer, ctx), userErrors: [] };
  }

  return {
    shop: () => shopView(shop),
    customer: ({ id }: { id: string }) => {
      checkGid(id);
      const customer = shop.customers.get(id);
      return customer ? customerView(customer, ctx) : null;
    },
    codeDiscountNode: ({ id }: { id: string }) => {
      checkGid(id);
      const discount = shop.discounts.get(id);
      return discount ? discountNodeView(discount, ctx) : null;
    },
    codeDiscountNodeByCode: ({ code }: { code: string }) => {
      const discount = findDiscountByCode(shop, code);
      return discount ? discountNodeView(discount, ctx) : null;
    },

    discountCodeBasicCreate: ({ basicCodeDiscount }: { basicCodeDiscount: Record<string, unknown> }) => {
      const built = buildBasicDiscount(shop, ids, now, basicCodeDiscount);
      if (!built.ok) return { codeDiscountNode: null, userErrors: built.errors };
      shop.discounts.set(built.record.id, built.record);
      return { codeDiscountNode: discountNodeView(built.record, ctx), userErrors: [] };
    },
    discountCodeFreeShippingCreate: ({ freeShippingCodeDiscount }: { freeShippingCodeDiscount: Record<string, unknown> }) => {
      const built = buildFreeShippingDiscount(shop, ids, now, freeShippingCodeDiscount);
      if (!built.ok) return { codeDiscountNode: null, userErrors: built.errors };
      shop.discounts.set(built.record.id, built.record);
      return { codeDiscountNode: discountNodeView(built.record, ctx), userErrors: [] };
    },
    discountCodeDelete: ({ id }: { id: string }) => {
      checkGid(id);
      if (!shop.discounts.delete(id)) {
        return { deletedCodeDiscountId: null, userErrors: [{ field: ["id"], message: "Discount does not exist", code: null, extraInfo: null }] };
      }
      return { deletedCodeDiscountId: id, userErrors: [] };
    },

    tagsAdd: ({ id, tags }: { id: string; tags: string[] }) => changeTags(id, (current) => [...current, ...tags]),
    tagsRemove: ({ id, tags }: { id: string; tags: string[] }) => {
      const removed = new Set(normalizeTags(tags).map((t) => t.toLowerCase()));
      return changeTags(id, (current) => current.filter((t) => !removed.has(t.toLowerCase())));
    },

    metafieldsSet: ({ metafields }: { metafields: Record<string, string | null | undefined>[] }) => {
      if (metafields.length > METAFIELDS_SET_LIMIT) {
        const message = `Exceeded the maximum metafields input limit of ${METAFIELDS_SET_LIMIT}.`;
        return { metafields: null, userErrors: [{ field: ["metafields"], message, code: "LESS_THAN_OR_EQUAL_TO", elementIndex: null }] };
      }
      const userErrors: { field: string[]; message: string; code: string; elementIndex: number | null }[] = [];
      const planned = metafields.map((input, index) => {
        const at = (name: string) => ["metafields", String(index), name];
        const namespace = resolveNamespace(input.namespace, shop.config.apiClientId);
        const key = input.key ?? "";
        const existing = [...shop.metafields.values()].find(
          (m) => m.ownerId === input.ownerId && m.namespace === namespace && m.key === key,
        );
        const type = input.type ?? existing?.type;
        if (!ownerExists(shop, input.ownerId ?? "")) {
          userErrors.push({ field: at("ownerId"), message: "Owner does not exist", code: "INVALID", elementIndex: index });
        }
        if (key.length < 2) userErrors.push({ field: at("key"), message: "Key is too short (minimum is 2 characters)", code: "TOO_SHORT", elementIndex: index });
        if (!type) userErrors.push({ field: at("type"), message: "Type can't be blank", code: "BLANK", elementIndex: null });
        else if (!METAFIELD_TYPES[type]) {
          userErrors.push({ field: at("type"), message: `Type '${type}' is not supported by the emulator`, code: "INVALID_TYPE", elementIndex: index });
        } else {
          const problem = METAFIELD_TYPES[type](input.value ?? "");
          if (problem) userErrors.push({ field: at("value"), message: problem, code: "INVALID_VALUE", elementIndex: index });
        }
        return { input, namespace, key, type: type ?? "", existing };
      });
      // All or nothing, as documented: one bad element and nothing is written.
      if (userErrors.length) return { metafields: [], userErrors };
      const written = planned.map(({ input, namespace, key, type, existing }) => {
        const record: MetafieldRecord = existing ?? {
          id: ids.gid("Metafield"),
          ownerId: input.ownerId as string,
          namespace,
          key,
          type,
          value: "",
          createdAt: now,
          updatedAt: now,
        };
        Object.assign(record, { type, value: input.value ?? "", updatedAt: now });
        shop.metafields.set(record.id, record);
        return metafieldView(record);
      });
      return { metafields: written, userErrors: [] };
    },
  };
}

/** A plain snapshot of one shop for tests and the demo store (GET /__emulator/state). */
export function snapshotShop(shop: ShopState, now: number) {
  const iso = (ms: number | null) => (ms == null ? null : formatDateTime(ms));
  return {
    domain: shop.config.domain,
    customers: [...shop.customers.values()].map((c) => ({
      ...c,
      createdAt: iso(c.createdAt),
      updatedAt: iso(c.updatedAt),
      metafields: [...shop.metafields.values()]
        .filter((m) => m.ownerId === c.id)
        .map((m) => ({ id: m.id, namespace: m.namespace, key: m.key, type: m.type, value: m.value })),
    })),
    discounts: [...shop.discounts.values()].map((d) => ({
      ...d,
      codes: d.codes.map((c) => c.code),
      usage: d.codes.reduce((sum, c) => sum + c.asyncUsageCount, 0),
      status: now < d.startsAt ? "SCHEDULED" : d.endsAt != null && now >= d.endsAt ? "EXPIRED" : "ACTIVE",
      startsAt: iso(d.startsAt),
      endsAt: iso(d.endsAt),
      createdAt: iso(d.createdAt),
      updatedAt: iso(d.updatedAt),
    })),
    products: [...shop.products.values()].map((p) => ({
      ...p,
      variants: [...shop.variants.values()].filter((v) => v.productId === p.id),
    })),
    segments: [...shop.segments.values()],
  };
}
