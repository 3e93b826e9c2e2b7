import { execute, parse, validate, type GraphQLSchema } from "graphql";
import type { IdSource, ShopState } from "./state";
import { connection, customerView, type ViewContext } from "./views";

/**
 * Orders and query bulk operations (API 2026-07): `bulkOperationRunQuery(query:)` runs a query over
 * every order, `currentBulkOperation` reports CREATED -> RUNNING -> COMPLETED with `objectCount`,
 * and `url` serves the result as JSON Lines, one object per line (nested connections as their own
 * lines with `__parentId`, here only the top-level connection is used). Shopify's file lives on
 * Google Cloud Storage; the emulator serves it at `https://<shop>/__emulator/bulk?id=`, which the
 * redirecting fetch sends to the emulator like any Admin API call.
 * Sources: shopify.dev/docs/api/usage/bulk-operations/queries, BulkOperation, Order.
 */
export const BULK_SDL = /* GraphQL */ `
scalar URL

extend type QueryRoot {
  orders(first: Int, after: String, last: Int, before: String, reverse: Boolean = false, query: String): OrderConnection!
  currentBulkOperation(type: BulkOperationType = QUERY): BulkOperation
}

extend type Mutation {
  bulkOperationRunQuery(query: String!, groupObjects: Boolean = true): BulkOperationRunQueryPayload
}

type Order implements Node {
  id: ID!
  name: String!
  createdAt: DateTime!
  processedAt: DateTime!
  cancelledAt: DateTime
  email: String
  customer: Customer
  currencyCode: CurrencyCode!
  displayFinancialStatus: OrderDisplayFinancialStatus
  currentSubtotalPriceSet: MoneyBag!
}

type MoneyBag { shopMoney: MoneyV2! presentmentMoney: MoneyV2! }
type OrderConnection { edges: [OrderEdge!]! nodes: [Order!]! pageInfo: PageInfo! }
type OrderEdge { cursor: String! node: Order! }
enum OrderDisplayFinancialStatus { AUTHORIZED EXPIRED PAID PARTIALLY_PAID PARTIALLY_REFUNDED PENDING REFUNDED VOIDED }

type BulkOperation implements Node {
  id: ID!
  status: BulkOperationStatus!
  errorCode: BulkOperationErrorCode
  createdAt: DateTime!
  completedAt: DateTime
  objectCount: UnsignedInt64!
  rootObjectCount: UnsignedInt64!
  fileSize: UnsignedInt64
  url: URL
  partialDataUrl: URL
  query: String!
  type: BulkOperationType!
}
enum BulkOperationStatus { CANCELED CANCELING COMPLETED CREATED EXPIRED FAILED RUNNING }
enum BulkOperationErrorCode { ACCESS_DENIED INTERNAL_SERVER_ERROR TIMEOUT }
enum BulkOperationType { MUTATION QUERY }
type BulkOperationRunQueryPayload { bulkOperation: BulkOperation userErrors: [BulkOperationUserError!]! }
type BulkOperationUserError { field: [String!] message: String! code: BulkOperationUserErrorCode }
enum BulkOperationUserErrorCode { INVALID OPERATION_IN_PROGRESS }
`;

export interface OrderRecord {
  id: string;
  name: string;
  createdAt: number;
  processedAt: number;
  cancelledAt: number | null;
  email: string | null;
  customerId: string | null;
  currencyCode: string;
  financialStatus: string;
  subtotal: string;
}

interface BulkRecord {
  id: string;
  query: string;
  createdAt: number;
  completedAt: number | null;
  lines: string[];
  /** Reads of the operation so far: it runs on the first read and completes on the second. */
  reads: number;
}

const orders = new WeakMap<ShopState, OrderRecord[]>();
const bulks = new WeakMap<ShopState, BulkRecord[]>();

export function shopOrders(shop: ShopState): OrderRecord[] {
  let list = orders.get(shop);
  if (!list) orders.set(shop, (list = []));
  return list;
}

export interface NewOrder {
  customerId?: string | null;
  email?: string | null;
  subtotal: string;
  processedAt?: string;
  cancelledAt?: string | null;
  financialStatus?: string;
  name?: string;
}

export function seedOrder(shop: ShopState, ids: IdSource, now: number, input: NewOrder): OrderRecord {
  const list = shopOrders(shop);
  const at = input.processedAt ? Date.parse(input.processedAt) : now;
  const record: OrderRecord = {
    id: ids.gid("Order"),
    name: input.name ?? `#${1001 + list.length}`,
    createdAt: at,
    processedAt: at,
    cancelledAt: input.cancelledAt ? Date.parse(input.cancelledAt) : null,
    email: input.email ?? null,
    customerId: input.customerId ?? null,
    currencyCode: shop.config.currencyCode,
    financialStatus: input.financialStatus ?? "PAID",
    subtotal: input.subtotal,
  };
  list.push(record);
  return record;
}

function orderView(o: OrderRecord, ctx: ViewContext) {
  const money = { amount: o.subtotal, currencyCode: o.currencyCode };
  const customer = o.customerId ? ctx.shop.customers.get(o.customerId) : undefined;
  return {
    __typename: "Order",
    id: o.id,
    name: o.name,
    createdAt: new Date(o.createdAt),
    processedAt: new Date(o.processedAt),
    cancelledAt: o.cancelledAt === null ? null : new Date(o.cancelledAt),
    email: o.email,
    customer: customer ? customerView(customer, ctx) : null,
    currencyCode: o.currencyCode,
    displayFinancialStatus: o.financialStatus,
    currentSubtotalPriceSet: { shopMoney: money, presentmentMoney: money },
  };
}

function bulkView(b: BulkRecord, shop: ShopState, now: number) {
  const status = b.reads === 0 ? "CREATED" : b.reads === 1 ? "RUNNING" : "COMPLETED";
  if (status === "COMPLETED" && b.completedAt === null) b.completedAt = now;
  const done = status === "COMPLETED";
  return {
    __typename: "BulkOperation",
    id: b.id,
    status,
    errorCode: null,
    createdAt: new Date(b.createdAt),
    completedAt: b.completedAt === null ? null : new Date(b.completedAt),
    objectCount: String(done ? b.lines.length : Math.floor(b.lines.length / 2)),
    rootObjectCount: String(done ? b.lines.length : Math.floor(b.lines.length / 2)),
    fileSize: done ? String(b.lines.join("\n").length) : null,
    url: done && b.lines.length ? `https://${shop.config.domain}/__emulator/bulk?id=${encodeURIComponent(b.id)}&shop=${shop.config.domain}` : null,
    partialDataUrl: null,
    query: b.query,
    type: "QUERY",
  };
}

/** The JSONL file of a completed operation, or null. */
export function bulkFile(shop: ShopState, id: string): string | null {
  const b = bulks.get(shop)?.find((op) => op.id === id);
  return b && b.reads >= 2 ? b.lines.map((l) => `${l}\n`).join("") : null;
}

export function bulkResolvers(schema: GraphQLSchema, shop: ShopState, ids: IdSource, now: number) {
  const ctx: ViewContext = { shop, now };
  const all = () => shopOrders(shop).map((o) => orderView(o, ctx));
  return {
    orders: (args: { first?: number; after?: string; last?: number; before?: string; reverse?: boolean }) => connection(all(), args),
    currentBulkOperation: () => {
      const list = bulks.get(shop) ?? [];
      const b = list[list.length - 1];
      if (!b) return null;
      const view = bulkView(b, shop, now);
      b.reads += 1;
      return view;
    },
    bulkOperationRunQuery: ({ query }: { query: string }) => {
      const list = bulks.get(shop) ?? [];
      bulks.set(shop, list);
      const running = list.find((b) => b.reads < 2);
      if (running) {
        return { bulkOperation: null, userErrors: [{ field: ["query"], message: `A bulk query operation for this app and shop is already in progress: ${running.id}.`, code: "OPERATION_IN_PROGRESS" }] };
      }
      let document;
      try {
        document = parse(query);
      } catch (error) {
        return { bulkOperation: null, userErrors: [{ field: ["query"], message: `Invalid bulk query: ${(error as Error).message}`, code: "INVALID" }] };
      }
      const problems = validate(schema, document);
      if (problems.length) return { bulkOperation: null, userErrors: [{ field: ["query"], message: `Invalid bulk query: ${problems[0].message}`, code: "INVALID" }] };
      // A bulk query reads the whole connection, whatever `first` says.
      const result = execute({ schema, document, rootValue: { orders: () => connection(all(), {}) } }) as { data?: Record<string, { edges?: { node: unknown }[]; nodes?: unknown[] }> };
      const top = Object.values(result.data ?? {})[0];
      const nodes = top?.nodes ?? top?.edges?.map((e) => e.node) ?? [];
      const b: BulkRecord = { id: ids.gid("BulkOperation"), query, createdAt: now, completedAt: null, lines: nodes.map((n) => JSON.stringify(n)), reads: 0 };
      list.push(b);
      return { bulkOperation: bulkView(b, shop, now), userErrors: [] };
    },
  };
}
