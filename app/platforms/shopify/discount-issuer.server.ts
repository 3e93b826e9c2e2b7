import type { DiscountIssuer, DiscountRequest, IssueResult } from "../../loyalty/discount-issuer";
import { formatMinor } from "../../loyalty/money";

/**
 * Reward codes as native Shopify discounts through the Admin GraphQL API: restricted to the one
 * customer (`context`, which replaced the deprecated `customerSelection`), usable once, with the
 * reward's minimum subtotal, combination policy and expiry.
 *
 * `graphql` is the admin client's graphql function (`admin.graphql` of @shopify/shopify-app-remix).
 * THROTTLED answers (HTTP 200, not retried by the client) wait for the bucket to refill as the
 * cost extension says; 5xx answers are retried with backoff; both end as a thrown error, which
 * leaves the redemption pending for recovery.
 */
export type AdminGraphql = (query: string, options?: { variables?: Record<string, unknown>; tries?: number }) => Promise<Response>;

interface GraphqlBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
  extensions?: { cost?: { requestedQueryCost?: number; throttleStatus?: { currentlyAvailable: number; restoreRate: number } } };
}

export interface IssuerOptions {
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

const CREATE_BASIC = `#graphql
  mutation TierwiseRewardCode($discount: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $discount) {
      codeDiscountNode { id }
      userErrors { field message code }
    }
  }`;

const CREATE_FREE_SHIPPING = `#graphql
  mutation TierwiseFreeShippingCode($discount: DiscountCodeFreeShippingInput!) {
    discountCodeFreeShippingCreate(freeShippingCodeDiscount: $discount) {
      codeDiscountNode { id }
      userErrors { field message code }
    }
  }`;

const FIND = `#graphql
  query TierwiseFindCode($code: String!) {
    codeDiscountNodeByCode(code: $code) { id }
  }`;

const gid = (type: string, id: string) => (id.startsWith("gid://") ? id : `gid://shopify/${type}/${id}`);

export function discountInput(request: DiscountRequest): { mutation: "basic" | "freeShipping"; input: Record<string, unknown> } {
  const { terms } = request;
  const common = {
    title: request.title,
    code: request.code,
    startsAt: request.startsAt.toISOString(),
    endsAt: request.endsAt.toISOString(),
    context: { customers: { add: [gid("Customer", request.platformCustomerId)] } },
    usageLimit: 1,
    appliesOncePerCustomer: true,
    combinesWith: terms.combinesWith,
    ...(terms.minimumSubtotalMinor
      ? { minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: formatMinor(terms.minimumSubtotalMinor, terms.currency) } } }
      : {}),
  };
  if (terms.kind === "FREE_SHIPPING") {
    // Shopify refuses a shipping discount that combines with other shipping discounts.
    const combinesWith = { ...terms.combinesWith, shippingDiscounts: false };
    return { mutation: "freeShipping", input: { ...common, combinesWith, destination: { all: true } } };
  }
  let customerGets: Record<string, unknown>;
  if (terms.kind === "PERCENTAGE") {
    customerGets = { value: { percentage: terms.percentage / 100 }, items: { all: true } };
  } else if (terms.kind === "FREE_PRODUCT") {
    customerGets = { value: { percentage: 1 }, items: { products: { productVariantsToAdd: [gid("ProductVariant", terms.variantId ?? "")] } } };
  } else {
    customerGets = {
      value: { discountAmount: { amount: formatMinor(terms.valueMinor, terms.currency), appliesOnEachItem: false } },
      items: { all: true },
    };
  }
  return { mutation: "basic", input: { ...common, customerGets } };
}

export class ShopifyApiError extends Error {}

/** How long until the bucket holds what the refused query asked for, per the cost extension. */
function throttleWaitMs(body: GraphqlBody): number {
  const cost = body.extensions?.cost;
  const missing = Math.max(0, (cost?.requestedQueryCost ?? 10) - (cost?.throttleStatus?.currentlyAvailable ?? 0));
  const rate = cost?.throttleStatus?.restoreRate || 50;
  return Math.ceil((missing / rate) * 1000) + 50;
}

/** The response body carried by @shopify/shopify-api's GraphqlQueryError. */
function graphqlErrorBody(error: unknown): GraphqlBody | null {
  const body = (error as { body?: { errors?: { graphQLErrors?: GraphqlBody["errors"] }; extensions?: GraphqlBody["extensions"] } })?.body;
  if (!body?.errors?.graphQLErrors) return null;
  return { errors: body.errors.graphQLErrors, extensions: body.extensions };
}

/** 4xx other than 429: the request itself is wrong (bad token, unknown shop). */
function isClientError(error: unknown): boolean {
  const code = (error as { response?: { code?: number } })?.response?.code;
  return typeof code === "number" && code >= 400 && code < 500 && code !== 429;
}

export function shopifyDiscountIssuer(graphql: AdminGraphql, options: IssuerOptions = {}): DiscountIssuer {
  const maxAttempts = options.maxAttempts ?? 5;
  const sleep = options.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));

  async function call(query: string, variables: Record<string, unknown>): Promise<GraphqlBody> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      try {
        // The client retries 429 and 503 itself (tries); the rest is ours.
        const response = await graphql(query, { variables, tries: 3 });
        const body = (await response.json()) as GraphqlBody;
        const throttled = body.errors?.some((e) => e.extensions?.code === "THROTTLED");
        if (!throttled) return body;
        lastError = new ShopifyApiError("THROTTLED");
        await sleep(throttleWaitMs(body));
      } catch (error) {
        lastError = error;
        const thrownBody = graphqlErrorBody(error);
        if (thrownBody?.errors?.some((e) => e.extensions?.code === "THROTTLED")) {
          // THROTTLED comes in an HTTP 200 that the client turns into a GraphqlQueryError.
          await sleep(throttleWaitMs(thrownBody));
        } else if (thrownBody) {
          // Any other top-level GraphQL error is a bug in our query: retrying will not help.
          throw new ShopifyApiError(thrownBody.errors?.map((e) => e.message).join("; ") ?? String(error));
        } else if (isClientError(error)) {
          throw error;
        } else {
          await sleep(Math.min(8_000, 250 * 2 ** (attempt - 1)));
        }
      }
    }
    throw lastError instanceof Error ? lastError : new ShopifyApiError(String(lastError));
  }

  const issuer: DiscountIssuer = {
    async find(code) {
      const body = await call(FIND, { code });
      if (body.errors?.length) throw new ShopifyApiError(body.errors.map((e) => e.message).join("; "));
      const node = (body.data?.codeDiscountNodeByCode as { id: string } | null | undefined) ?? null;
      return node ? { platformDiscountId: node.id } : null;
    },

    async create(request): Promise<IssueResult> {
      const { mutation, input } = discountInput(request);
      const body = await call(mutation === "basic" ? CREATE_BASIC : CREATE_FREE_SHIPPING, { discount: input });
      if (body.errors?.length) throw new ShopifyApiError(body.errors.map((e) => e.message).join("; "));
      const field = mutation === "basic" ? "discountCodeBasicCreate" : "discountCodeFreeShippingCreate";
      const payload = body.data?.[field] as
        | { codeDiscountNode: { id: string } | null; userErrors: { field?: string[] | null; message: string; code?: string | null }[] }
        | undefined;
      if (payload?.codeDiscountNode) return { ok: true, platformDiscountId: payload.codeDiscountNode.id };
      const errors = payload?.userErrors ?? [];
      // Our code is already there: an earlier attempt created it and its answer was lost.
      if (errors.some((e) => e.code === "TAKEN" || /must be unique|already been taken/i.test(e.message))) {
        const existing = await issuer.find(request.code);
        if (existing) return { ok: true, platformDiscountId: existing.platformDiscountId };
      }
      if (errors.length === 0) throw new ShopifyApiError(`${field} returned neither a discount nor errors`);
      return { ok: false, permanent: true, reason: errors.map((e) => `${(e.field ?? []).join(".")}: ${e.message}`).join("; ") };
    },
  };
  return issuer;
}
