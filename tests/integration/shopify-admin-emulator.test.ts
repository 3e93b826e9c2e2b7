import "@shopify/shopify-api/adapters/node";
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import {
  ApiVersion,
  GraphqlQueryError,
  HttpInternalError,
  HttpMaxRetriesError,
  HttpResponseError,
  LogSeverity,
  Session,
  shopifyApi,
} from "@shopify/shopify-api";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  createShopifyAdminEmulator,
  DEFAULT_SHOP,
  manualClock,
  redirectShopifyAdminApi,
  type ShopifyAdminEmulator,
} from "../emulators/shopify-admin";

/**
 * The Admin API emulator driven by the real client: @shopify/shopify-api's GraphqlClient (what
 * @shopify/shopify-app-remix's `admin.graphql` wraps) builds https://<shop>.myshopify.com URLs,
 * and only its fetch is redirected to the emulator.
 */

const clock = manualClock(Date.UTC(2026, 6, 1, 12, 0, 0));
const shopify = shopifyApi({
  apiKey: "tierwise-test-key",
  apiSecretKey: "tierwise-test-secret",
  apiVersion: ApiVersion.July26,
  hostName: "tierwise.test",
  isEmbeddedApp: true,
  logger: { level: LogSeverity.Error },
});

let emulator: ShopifyAdminEmulator;
let restoreFetch: () => void;

beforeAll(async () => {
  emulator = await createShopifyAdminEmulator({ clock: clock.now });
  restoreFetch = redirectShopifyAdminApi(emulator.url);
});
afterEach(() => emulator.reset());
afterAll(async () => {
  restoreFetch();
  await emulator.stop();
});

function adminClient(options: { accessToken?: string; apiVersion?: string } = {}) {
  const session = new Session({
    id: `offline_${DEFAULT_SHOP.domain}`,
    shop: DEFAULT_SHOP.domain,
    state: "",
    isOnline: false,
    accessToken: options.accessToken ?? DEFAULT_SHOP.accessToken,
  });
  return new shopify.clients.Graphql({ session, apiVersion: options.apiVersion as ApiVersion | undefined });
}

const CREATE_BASIC = `#graphql
  mutation RewardCode($discount: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $discount) {
      codeDiscountNode { id }
      userErrors { field message code }
    }
  }`;

const CREATE_FREE_SHIPPING = `#graphql
  mutation FreeShippingCode($discount: DiscountCodeFreeShippingInput!) {
    discountCodeFreeShippingCreate(freeShippingCodeDiscount: $discount) {
      codeDiscountNode { id }
      userErrors { field message code }
    }
  }`;

const READ_BY_CODE = `#graphql
  query ReadCode($code: String!) {
    codeDiscountNodeByCode(code: $code) {
      id
      codeDiscount {
        __typename
        ... on DiscountCodeBasic {
          title
          codes(first: 1) { nodes { code } }
          startsAt
          endsAt
          usageLimit
          appliesOncePerCustomer
          status
          combinesWith { orderDiscounts productDiscounts shippingDiscounts }
          minimumRequirement { ... on DiscountMinimumSubtotal { greaterThanOrEqualToSubtotal { amount currencyCode } } }
          context { __typename ... on DiscountCustomers { customers { id displayName } } }
          customerGets {
            value { ... on DiscountPercentage { percentage } }
            items { ... on AllDiscountItems { allItems } }
          }
        }
        ... on DiscountCodeFreeShipping {
          title
          codes(first: 1) { nodes { code } }
          destinationSelection { __typename }
          context { __typename ... on DiscountCustomers { customers { id } } }
        }
      }
    }
  }`;

const TAGS_ADD = `#graphql
  mutation AddTags($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { node { id } userErrors { field message } } }`;

function rewardInput(customerId: string, code: string) {
  return {
    title: "Gold reward: 15% off",
    code,
    startsAt: "2026-07-01T00:00:00Z",
    endsAt: "2026-08-01T00:00:00Z",
    context: { customers: { add: [customerId] } },
    usageLimit: 1,
    appliesOncePerCustomer: true,
    combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true },
    minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: "25.00" } },
    customerGets: { value: { percentage: 0.15 }, items: { all: true } },
  };
}

describe("discount codes", () => {
  it("creates a basic code for one customer through `context` and reads it back by code, case-insensitively", async () => {
    const ada = emulator.addCustomer({ firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" });
    const created = await adminClient().request(CREATE_BASIC, { variables: { discount: rewardInput(ada.id, "TW-GOLD-7QK2") } });

    const payload = created.data.discountCodeBasicCreate;
    expect(payload.userErrors).toEqual([]);
    expect(payload.codeDiscountNode.id).toMatch(/^gid:\/\/shopify\/DiscountCodeNode\/\d+$/);
    expect(created.extensions?.cost).toMatchObject({
      requestedQueryCost: 10,
      actualQueryCost: 10,
      throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1990, restoreRate: 100 },
    });

    const read = await adminClient().request(READ_BY_CODE, { variables: { code: "tw-gold-7qk2" } });
    expect(read.data.codeDiscountNodeByCode).toEqual({
      id: payload.codeDiscountNode.id,
      codeDiscount: {
        __typename: "DiscountCodeBasic",
        title: "Gold reward: 15% off",
        codes: { nodes: [{ code: "TW-GOLD-7QK2" }] },
        startsAt: "2026-07-01T00:00:00Z",
        endsAt: "2026-08-01T00:00:00Z",
        usageLimit: 1,
        appliesOncePerCustomer: true,
        status: "ACTIVE",
        combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true },
        minimumRequirement: { greaterThanOrEqualToSubtotal: { amount: "25.0", currencyCode: "USD" } },
        context: { __typename: "DiscountCustomers", customers: [{ id: ada.id, displayName: "Ada Lovelace" }] },
        customerGets: { value: { percentage: 0.15 }, items: { allItems: true } },
      },
    });
    expect(read.extensions?.cost.requestedQueryCost).toBeGreaterThan(0);
    expect(emulator.snapshot().discounts).toMatchObject([{ codes: ["TW-GOLD-7QK2"], usageLimit: 1, context: { kind: "customers", customerIds: [ada.id] } }]);
  });

  it("refuses a code that is already taken, whatever its case, with Shopify's TAKEN userError", async () => {
    const ada = emulator.addCustomer({ firstName: "Ada" });
    await adminClient().request(CREATE_BASIC, { variables: { discount: rewardInput(ada.id, "TW-SAME") } });
    const again = await adminClient().request(CREATE_BASIC, { variables: { discount: rewardInput(ada.id, "tw-same") } });

    expect(again.data.discountCodeBasicCreate).toEqual({
      codeDiscountNode: null,
      userErrors: [{ field: ["basicCodeDiscount", "code"], message: "Code must be unique. Please try a different code.", code: "TAKEN" }],
    });
    expect(emulator.snapshot().discounts).toHaveLength(1);
  });

  it("answers invalid dates and unknown customers with userErrors and creates nothing", async () => {
    const input = { ...rewardInput("gid://shopify/Customer/404", "TW-BAD"), endsAt: "2026-06-01T00:00:00Z" };
    const result = await adminClient().request(CREATE_BASIC, { variables: { discount: input } });

    expect(result.data.discountCodeBasicCreate.codeDiscountNode).toBeNull();
    expect(result.data.discountCodeBasicCreate.userErrors).toEqual([
      { field: ["basicCodeDiscount", "endsAt"], message: "Ends at needs to be after starts_at", code: "INVALID" },
      { field: ["basicCodeDiscount", "context", "customers", "add"], message: "Customer with id: 404 is invalid", code: "INVALID" },
    ]);
    expect(emulator.snapshot().discounts).toEqual([]);
  });

  it("creates a free shipping code and refuses one that would stack with other shipping discounts", async () => {
    const ada = emulator.addCustomer({ firstName: "Ada" });
    const { title, code, startsAt, endsAt, context, usageLimit, appliesOncePerCustomer } = rewardInput(ada.id, "TW-SHIP-1");
    const input = { title, code, startsAt, endsAt, context, usageLimit, appliesOncePerCustomer, destination: { all: true } };

    const created = await adminClient().request(CREATE_FREE_SHIPPING, {
      variables: { discount: { ...input, combinesWith: { orderDiscounts: true, productDiscounts: true, shippingDiscounts: false } } },
    });
    expect(created.data.discountCodeFreeShippingCreate.userErrors).toEqual([]);
    const read = await adminClient().request(READ_BY_CODE, { variables: { code: "TW-SHIP-1" } });
    expect(read.data.codeDiscountNodeByCode.codeDiscount).toEqual({
      __typename: "DiscountCodeFreeShipping",
      title,
      codes: { nodes: [{ code: "TW-SHIP-1" }] },
      destinationSelection: { __typename: "DiscountCountryAll" },
      context: { __typename: "DiscountCustomers", customers: [{ id: ada.id }] },
    });

    const stacking = await adminClient().request(CREATE_FREE_SHIPPING, {
      variables: { discount: { ...input, code: "TW-SHIP-2", combinesWith: { shippingDiscounts: true } } },
    });
    expect(stacking.data.discountCodeFreeShippingCreate.userErrors).toEqual([
      {
        field: ["freeShippingCodeDiscount", "combinesWith"],
        message: "The combinesWith settings are not valid for the discount class.",
        code: "INVALID_COMBINES_WITH_FOR_DISCOUNT_CLASS",
      },
    ]);
  });

  it("finds no node for a code that does not exist, and deletes one that does", async () => {
    const ada = emulator.addCustomer({});
    const created = await adminClient().request(CREATE_BASIC, { variables: { discount: rewardInput(ada.id, "TW-GONE") } });
    const id = created.data.discountCodeBasicCreate.codeDiscountNode.id;

    const deleted = await adminClient().request(
      `mutation Drop($id: ID!) { discountCodeDelete(id: $id) { deletedCodeDiscountId userErrors { field message } } }`,
      { variables: { id } },
    );
    expect(deleted.data.discountCodeDelete).toEqual({ deletedCodeDiscountId: id, userErrors: [] });
    const read = await adminClient().request(READ_BY_CODE, { variables: { code: "TW-GONE" } });
    expect(read.data.codeDiscountNodeByCode).toBeNull();
  });
});

describe("customers: tags and metafields", () => {
  it("adds and removes customer tags, Shopify-normalized", async () => {
    const ada = emulator.addCustomer({ firstName: "Ada", tags: ["newsletter"] });
    const added = await adminClient().request(TAGS_ADD, { variables: { id: ada.id, tags: ["tier:gold", " vip ", "VIP"] } });
    expect(added.data.tagsAdd).toEqual({ node: { id: ada.id }, userErrors: [] });

    const removed = await adminClient().request(
      `mutation RemoveTags($id: ID!, $tags: [String!]!) { tagsRemove(id: $id, tags: $tags) { node { id } userErrors { field message } } }`,
      { variables: { id: ada.id, tags: ["NEWSLETTER"] } },
    );
    expect(removed.data.tagsRemove.userErrors).toEqual([]);
    const read = await adminClient().request(`query Tags($id: ID!) { customer(id: $id) { tags } }`, { variables: { id: ada.id } });
    expect(read.data.customer.tags).toEqual(["tier:gold", "vip"]);

    const missing = await adminClient().request(TAGS_ADD, { variables: { id: "gid://shopify/Customer/1", tags: ["vip"] } });
    expect(missing.data.tagsAdd).toEqual({ node: null, userErrors: [{ field: ["id"], message: "Customer does not exist" }] });
  });

  it("sets app-owned metafields with `$app:` and reads them back through customer.metafield", async () => {
    const ada = emulator.addCustomer({ firstName: "Ada" });
    const set = await adminClient().request(
      `mutation SetFields($metafields: [MetafieldsSetInput!]!) {
        metafieldsSet(metafields: $metafields) {
          metafields { id namespace key value type }
          userErrors { field message code }
        }
      }`,
      {
        variables: {
          metafields: [
            { ownerId: ada.id, namespace: "$app:tierwise", key: "tier", type: "single_line_text_field", value: "Gold" },
            { ownerId: ada.id, namespace: "$app:tierwise", key: "points", type: "number_integer", value: "1250" },
          ],
        },
      },
    );
    const { apiClientId } = emulator.shop().config;
    expect(set.data.metafieldsSet.userErrors).toEqual([]);
    expect(set.data.metafieldsSet.metafields).toMatchObject([
      { namespace: `app--${apiClientId}--tierwise`, key: "tier", value: "Gold", type: "single_line_text_field" },
      { namespace: `app--${apiClientId}--tierwise`, key: "points", value: "1250", type: "number_integer" },
    ]);

    const read = await adminClient().request(
      `query Member($id: ID!) { customer(id: $id) { id tags metafield(namespace: "$app:tierwise", key: "tier") { value } } }`,
      { variables: { id: ada.id } },
    );
    expect(read.data.customer).toEqual({ id: ada.id, tags: [], metafield: { value: "Gold" } });
  });

  it("refuses more than 25 metafields in one metafieldsSet and writes none of them", async () => {
    const ada = emulator.addCustomer({ firstName: "Ada" });
    const metafields = Array.from({ length: 26 }, (_, i) => ({
      ownerId: ada.id,
      namespace: "$app:tierwise",
      key: `field_${i}`,
      type: "single_line_text_field",
      value: String(i),
    }));
    const result = await adminClient().request(
      `mutation SetFields($metafields: [MetafieldsSetInput!]!) {
        metafieldsSet(metafields: $metafields) { metafields { id } userErrors { field message code elementIndex } }
      }`,
      { variables: { metafields } },
    );
    expect(result.data.metafieldsSet).toEqual({
      metafields: null,
      userErrors: [{ field: ["metafields"], message: "Exceeded the maximum metafields input limit of 25.", code: "LESS_THAN_OR_EQUAL_TO", elementIndex: null }],
    });
    expect(emulator.snapshot().customers[0].metafields).toEqual([]);
  });
});

describe("errors the client has to handle", () => {
  it("answers a wrong access token with HTTP 401, which the client throws as HttpResponseError", async () => {
    const error = await adminClient({ accessToken: "shpat_revoked" }).request(`query { shop { name } }`).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(HttpResponseError);
    expect((error as HttpResponseError).response).toMatchObject({ code: 401, statusText: "Unauthorized" });
    expect(emulator.requests.map((r) => r.status)).toEqual([401]);
  });

  it("throttles once the bucket is drained and serves again after it refills (injected clock)", async () => {
    emulator.bucket().set(20);
    const ada = emulator.addCustomer({});
    const client = adminClient();
    await client.request(TAGS_ADD, { variables: { id: ada.id, tags: ["a"] } });
    await client.request(TAGS_ADD, { variables: { id: ada.id, tags: ["b"] } });

    // THROTTLED is HTTP 200 with an `errors` body: the client does not retry it, it throws.
    const throttled = await client.request(TAGS_ADD, { variables: { id: ada.id, tags: ["c"] } }).catch((e: unknown) => e);
    expect(throttled).toBeInstanceOf(GraphqlQueryError);
    const body = (throttled as GraphqlQueryError).body as { errors: { graphQLErrors: unknown[] }; extensions: unknown };
    expect(body.errors.graphQLErrors).toEqual([
      { message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } },
    ]);
    expect(body.extensions).toEqual({
      cost: { requestedQueryCost: 10, actualQueryCost: null, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 0, restoreRate: 100 } },
    });

    clock.advance(90); // 9 points back: still short of the 10 the mutation asks for.
    await expect(client.request(TAGS_ADD, { variables: { id: ada.id, tags: ["c"] } })).rejects.toThrow("Throttled");
    clock.advance(10);
    const served = await client.request(TAGS_ADD, { variables: { id: ada.id, tags: ["c"] } });
    expect(served.extensions?.cost.throttleStatus.currentlyAvailable).toBe(0);
    expect(emulator.shop().customers.get(ada.id)?.tags).toEqual(["a", "b", "c"]);
  });

  it("lets the client retry injected 503s and 429s itself when asked to (`retries`)", async () => {
    // The client waits parseInt(Retry-After) milliseconds (it reads the seconds header as ms).
    emulator.faults.failNext(503, { count: 2, retryAfter: 1 });
    emulator.faults.failNext(429, { retryAfter: 1 });
    const result = await adminClient().request(`query { shop { myshopifyDomain } }`, { retries: 3 });

    expect(result.data.shop.myshopifyDomain).toBe(DEFAULT_SHOP.domain);
    expect(emulator.requests.map((r) => r.status)).toEqual([503, 503, 429, 200]);
  });

  it("surfaces a 500 without retrying it: HttpInternalError, or HttpMaxRetriesError when retries were allowed", async () => {
    emulator.faults.failNext(500, { count: 2 });
    const plain = await adminClient().request(`query { shop { name } }`).catch((e: unknown) => e);
    expect(plain).toBeInstanceOf(HttpInternalError);
    expect((plain as HttpInternalError).response.code).toBe(500);

    const withRetries = await adminClient().request(`query { shop { name } }`, { retries: 2 }).catch((e: unknown) => e);
    expect(withRetries).toBeInstanceOf(HttpMaxRetriesError);
    expect(emulator.requests.map((r) => r.status)).toEqual([500, 500]);
  });

  it("delays an answer when told to", async () => {
    emulator.faults.delayNext(300);
    const started = Date.now();
    await adminClient().request(`query { shop { name } }`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("reports syntax, validation and variable errors as HTTP 200 `errors` with locations", async () => {
    const syntax = await adminClient().request(`query Broken {\n  shop {\n    name\n`).catch((e: unknown) => e);
    expect(syntax).toBeInstanceOf(GraphqlQueryError);
    expect(((syntax as GraphqlQueryError).body as { errors: { graphQLErrors: unknown[] } }).errors.graphQLErrors).toEqual([
      { message: "syntax error, unexpected end of file at [4, 1]", locations: [{ line: 4, column: 1 }], extensions: { code: "PARSE_ERROR" } },
    ]);

    const unknownField = await adminClient().request(`query Shop {\n  shop { nope }\n}`).catch((e: unknown) => e);
    expect(((unknownField as GraphqlQueryError).body as { errors: { graphQLErrors: unknown[] } }).errors.graphQLErrors).toEqual([
      {
        message: "Field 'nope' doesn't exist on type 'Shop'",
        locations: [{ line: 2, column: 10 }],
        path: ["query Shop", "shop", "nope"],
        extensions: { code: "undefinedField", typeName: "Shop", fieldName: "nope" },
      },
    ]);

    const badVariable = await adminClient()
      .request(CREATE_BASIC, { variables: { discount: { ...rewardInput("gid://shopify/Customer/1", "X"), minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: "abc" } } } } })
      .catch((e: unknown) => e);
    const [problem] = ((badVariable as GraphqlQueryError).body as { errors: { graphQLErrors: any[] } }).errors.graphQLErrors;
    expect(problem.message).toBe(
      "Variable $discount of type DiscountCodeBasicInput! was provided invalid value for minimumRequirement.subtotal.greaterThanOrEqualToSubtotal (invalid decimal 'abc')",
    );
    expect(problem.extensions).toMatchObject({
      code: "INVALID_VARIABLE",
      problems: [{ path: ["minimumRequirement", "subtotal", "greaterThanOrEqualToSubtotal"], explanation: "invalid decimal 'abc'" }],
    });
    expect(emulator.requests.every((r) => (r.response as { extensions?: unknown }).extensions === undefined)).toBe(true);
  });

  it("serves a retired API version as the oldest supported one and answers an unreleased one with 404", async () => {
    const retired = await adminClient({ apiVersion: "2024-01" }).request(`query { shop { name } }`);
    expect(retired.headers?.["X-Shopify-Api-Version"]).toEqual(["2025-07"]);

    const unreleased = await adminClient({ apiVersion: "2031-01" }).request(`query { shop { name } }`).catch((e: unknown) => e);
    expect(unreleased).toBeInstanceOf(HttpResponseError);
    expect((unreleased as HttpResponseError).response.code).toBe(404);
  });
});

describe("use from another process", () => {
  it("serves a process started with the redirect preload, seeded and inspected through /__emulator", async () => {
    const seeded = await fetch(`${emulator.url}/__emulator/customers`, {
      method: "POST",
      body: JSON.stringify({ firstName: "Grace", tags: ["member"] }),
    }).then((r) => r.json() as Promise<{ id: string }>);

    const script = `
      import "@shopify/shopify-api/adapters/web-api";
      import { shopifyApi, Session, ApiVersion, LogSeverity } from "@shopify/shopify-api";
      const shopify = shopifyApi({
        apiKey: "k", apiSecretKey: "s", apiVersion: ApiVersion.July26, hostName: "tierwise.test", isEmbeddedApp: true,
        logger: { level: LogSeverity.Error },
      });
      const session = new Session({ id: "x", shop: "${DEFAULT_SHOP.domain}", state: "", isOnline: false, accessToken: "${DEFAULT_SHOP.accessToken}" });
      const client = new shopify.clients.Graphql({ session });
      const result = await client.request('mutation { tagsAdd(id: "${seeded.id}", tags: ["tier:silver"]) { userErrors { message } } }');
      console.log(JSON.stringify(result.data));`;
    const root = path.resolve(import.meta.dirname, "../..");
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "./tests/emulators/shopify-admin/redirect-preload.mjs", "--input-type=module", "-e", script],
      { cwd: root, env: { ...process.env, SHOPIFY_ADMIN_EMULATOR_URL: emulator.url } },
    );
    expect(JSON.parse(stdout)).toEqual({ tagsAdd: { userErrors: [] } });

    const state = await fetch(`${emulator.url}/__emulator/state`).then((r) => r.json() as Promise<{ customers: { tags: string[] }[] }>);
    expect(state.customers[0].tags).toEqual(["member", "tier:silver"]);
  });
});
