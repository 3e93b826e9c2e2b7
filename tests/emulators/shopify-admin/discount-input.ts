import {
  findDiscountByCode,
  type BasicDiscountRecord,
  type ContextRecord,
  type FreeShippingDiscountRecord,
  type IdSource,
  type ShopState,
} from "./state";

/**
 * Validation of DiscountCodeBasicInput / DiscountCodeFreeShippingInput the way Shopify answers
 * it: business errors are `userErrors` ({field, message, code, extraInfo}) with the input's path.
 * Messages and codes marked "captured" were copied from real Admin API 2026-04 responses
 * (public conformance captures); the others are inferred from the same patterns (see README).
 */

export interface DiscountUserError {
  field: string[] | null;
  message: string;
  code: string | null;
  extraInfo: null;
}

// Input objects as graphql-js hands them to resolvers: DateTime is epoch ms, Decimal a string.
type Input = Record<string, any>;

const legacyId = (gid: string) => gid.split("/").pop() ?? gid;

function userError(field: string[], message: string, code: string): DiscountUserError {
  return { field, message, code, extraInfo: null };
}

function validateCommon(shop: ShopState, name: string, input: Input, errors: DiscountUserError[]) {
  if (input.context != null && input.customerSelection != null) {
    errors.push(userError([name, "context"], "Only one of context or customerSelection can be provided.", "INVALID")); // captured
  }
  const title = typeof input.title === "string" ? input.title.trim() : "";
  if (!title) errors.push(userError([name, "title"], "Title can't be blank", "BLANK")); // captured
  else if (title.length > 255) errors.push(userError([name, "title"], "Title is too long (maximum is 255 characters)", "TOO_LONG"));

  const code: unknown = input.code;
  if (code == null) errors.push(userError([name, "code"], "Code can't be blank", "BLANK")); // captured
  else if (code === "") errors.push(userError([name, "code"], "Code is too short (minimum is 1 character)", "TOO_SHORT")); // captured
  else if (/[\r\n]/.test(String(code))) errors.push(userError([name, "code"], "Code cannot contain newline characters.", "INVALID")); // captured
  else if (String(code).length > 255) errors.push(userError([name, "code"], "Code is too long (maximum is 255 characters)", "TOO_LONG")); // captured
  else if (findDiscountByCode(shop, String(code))) {
    errors.push(userError([name, "code"], "Code must be unique. Please try a different code.", "TAKEN")); // captured
  }

  if (input.startsAt == null) errors.push(userError([name, "startsAt"], "Starts at can't be blank.", "INVALID"));
  else if (input.endsAt != null && input.endsAt <= input.startsAt) {
    errors.push(userError([name, "endsAt"], "Ends at needs to be after starts_at", "INVALID")); // captured
  }
  if (input.usageLimit != null && input.usageLimit < 1) {
    errors.push(userError([name, "usageLimit"], "Usage limit must be greater than 0", "GREATER_THAN"));
  }
  const minimum = input.minimumRequirement;
  if (minimum?.quantity && minimum?.subtotal) {
    errors.push(
      userError([name, "minimumRequirement"], "Minimum subtotal and quantity range cannot both be present.", "MINIMUM_SUBTOTAL_AND_QUANTITY_RANGE_BOTH_PRESENT"),
    );
  }
}

/** `context` (or the deprecated `customerSelection`) to who may use the code. */
function resolveContext(shop: ShopState, name: string, input: Input, errors: DiscountUserError[]): ContextRecord {
  const usingContext = input.context != null;
  const selection = input.context ?? input.customerSelection;
  const base = [name, usingContext ? "context" : "customerSelection"];
  if (selection == null) {
    errors.push(userError(base, "Context can't be blank", "BLANK"));
    return { kind: "all" };
  }
  const all = usingContext ? selection.all === "ALL" : selection.all === true;
  const customerIds: string[] = selection.customers?.add ?? [];
  const segmentIds: string[] = selection.customerSegments?.add ?? [];
  if ([all, customerIds.length > 0, segmentIds.length > 0].filter(Boolean).length > 1) {
    errors.push(userError(base, "Only one of all, customers or customerSegments can be provided.", "INVALID"));
  }
  for (const id of customerIds) {
    if (!shop.customers.has(id)) errors.push(userError([...base, "customers", "add"], `Customer with id: ${legacyId(id)} is invalid`, "INVALID"));
  }
  for (const id of segmentIds) {
    if (!shop.segments.has(id)) {
      errors.push(userError([...base, "customerSegments", "add"], `Segment with id: ${legacyId(id)} is invalid`, "INVALID"));
    }
  }
  if (customerIds.length) return { kind: "customers", customerIds: [...new Set(customerIds)] };
  if (segmentIds.length) return { kind: "segments", segmentIds: [...new Set(segmentIds)] };
  if (all) return { kind: "all" };
  errors.push(userError(base, "Context can't be blank", "BLANK"));
  return { kind: "all" };
}

function customerGetsOf(shop: ShopState, name: string, input: Input, errors: DiscountUserError[]): BasicDiscountRecord["customerGets"] {
  const gets = input.customerGets;
  const path = [name, "customerGets"];
  const fallback: BasicDiscountRecord["customerGets"] = {
    value: { percentage: 0 },
    items: "all",
    appliesOnOneTimePurchase: true,
    appliesOnSubscription: false,
  };
  if (gets == null) {
    errors.push(userError(path, "Customer gets can't be blank", "BLANK"));
    return fallback;
  }
  let value: BasicDiscountRecord["customerGets"]["value"] = { percentage: 0 };
  if (gets.value?.percentage != null && gets.value?.discountAmount != null) {
    errors.push(userError([...path, "value"], "Only one of percentage or discountAmount can be provided.", "INVALID"));
  } else if (gets.value?.percentage != null) {
    const percentage: number = gets.value.percentage;
    if (percentage < 0 || percentage > 1) {
      errors.push(userError([...path, "value", "percentage"], "Value must be between 0.0 and 1.0", "VALUE_OUTSIDE_RANGE")); // captured
    }
    value = { percentage };
  } else if (gets.value?.discountAmount?.amount != null) {
    const amount: string = gets.value.discountAmount.amount;
    if (Number(amount) < 0) {
      // Shopify's own wording for a negative amount (captured), odd as it reads.
      errors.push(userError([...path, "value", "discountAmount", "amount"], "Value must be less than or equal to 0", "LESS_THAN_OR_EQUAL_TO"));
    }
    value = { amount, appliesOnEachItem: gets.value.discountAmount.appliesOnEachItem ?? false };
  } else {
    errors.push(userError([...path, "value"], "Value can't be blank", "BLANK"));
  }

  let items: BasicDiscountRecord["customerGets"]["items"] = "all";
  if (gets.items?.products) {
    const productIds: string[] = gets.items.products.productsToAdd ?? [];
    const variantIds: string[] = gets.items.products.productVariantsToAdd ?? [];
    for (const id of productIds) {
      if (!shop.products.has(id)) {
        errors.push(userError([...path, "items", "products", "productsToAdd"], `Product with id: ${legacyId(id)} is invalid`, "INVALID")); // captured
      }
    }
    for (const id of variantIds) {
      if (!shop.variants.has(id)) {
        const field = [...path, "items", "products", "productVariantsToAdd"];
        errors.push(userError(field, `Product variant with id: ${legacyId(id)} is invalid`, "INVALID")); // captured
      }
    }
    if (!productIds.length && !variantIds.length) errors.push(userError([...path, "items"], "Items must be defined", "BLANK"));
    items = { productIds, variantIds };
  } else if (gets.items?.all !== true) {
    errors.push(userError([...path, "items"], "Items must be defined", "BLANK"));
  }
  return {
    value,
    items,
    appliesOnOneTimePurchase: gets.appliesOnOneTimePurchase ?? true,
    appliesOnSubscription: gets.appliesOnSubscription ?? false,
  };
}

function commonRecord(ids: IdSource, now: number, input: Input, context: ContextRecord) {
  const minimum = input.minimumRequirement;
  return {
    id: ids.gid("DiscountCodeNode"),
    title: String(input.title).trim(),
    codes: [{ id: ids.gid("DiscountRedeemCode"), code: String(input.code), asyncUsageCount: 0 }],
    startsAt: input.startsAt as number,
    endsAt: (input.endsAt as number | null | undefined) ?? null,
    usageLimit: input.usageLimit ?? null,
    appliesOncePerCustomer: input.appliesOncePerCustomer ?? false,
    combinesWith: {
      orderDiscounts: input.combinesWith?.orderDiscounts ?? false,
      productDiscounts: input.combinesWith?.productDiscounts ?? false,
      shippingDiscounts: input.combinesWith?.shippingDiscounts ?? false,
    },
    context,
    minimumRequirement: minimum?.subtotal?.greaterThanOrEqualToSubtotal != null
      ? { subtotal: String(minimum.subtotal.greaterThanOrEqualToSubtotal) }
      : minimum?.quantity?.greaterThanOrEqualToQuantity != null
        ? { quantity: String(minimum.quantity.greaterThanOrEqualToQuantity) }
        : null,
    recurringCycleLimit: input.recurringCycleLimit ?? null,
    createdAt: now,
    updatedAt: now,
  };
}

export type BuildResult<T> = { ok: true; record: T } | { ok: false; errors: DiscountUserError[] };

export function buildBasicDiscount(shop: ShopState, ids: IdSource, now: number, input: Input): BuildResult<BasicDiscountRecord> {
  const name = "basicCodeDiscount";
  const errors: DiscountUserError[] = [];
  validateCommon(shop, name, input, errors);
  const context = resolveContext(shop, name, input, errors);
  const customerGets = customerGetsOf(shop, name, input, errors);
  if (errors.length) return { ok: false, errors };
  const record: BasicDiscountRecord = {
    ...commonRecord(ids, now, input, context),
    type: "DiscountCodeBasic",
    customerGets,
    tags: input.tags ?? [],
  };
  return { ok: true, record };
}

export function buildFreeShippingDiscount(shop: ShopState, ids: IdSource, now: number, input: Input): BuildResult<FreeShippingDiscountRecord> {
  const name = "freeShippingCodeDiscount";
  const errors: DiscountUserError[] = [];
  // A shipping discount cannot stack with another shipping discount (captured).
  if (input.combinesWith?.shippingDiscounts) {
    errors.push(userError([name, "combinesWith"], "The combinesWith settings are not valid for the discount class.", "INVALID_COMBINES_WITH_FOR_DISCOUNT_CLASS"));
  }
  validateCommon(shop, name, input, errors);
  const context = resolveContext(shop, name, input, errors);
  if (errors.length) return { ok: false, errors };
  const countries = input.destination?.countries;
  const record: FreeShippingDiscountRecord = {
    ...commonRecord(ids, now, input, context),
    type: "DiscountCodeFreeShipping",
    destination: countries?.add?.length ? { countries: countries.add, includeRestOfWorld: countries.includeRestOfWorld ?? false } : "all",
    maximumShippingPrice: input.maximumShippingPrice ?? null,
    appliesOnOneTimePurchase: input.appliesOnOneTimePurchase ?? true,
    appliesOnSubscription: input.appliesOnSubscription ?? false,
  };
  return { ok: true, record };
}
