import {
  execute,
  GraphQLError,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
} from "graphql";
import type { LeakyBucket, ThrottleStatus } from "./bucket";
import { MAX_QUERY_COST, operationCost } from "./cost";
import {
  isOperation,
  parseErrorToShopify,
  validationErrorToShopify,
  variableErrors,
  type ShopifyGraphqlError,
} from "./graphql-errors";
import { rootResolvers } from "./resolvers";
import { bulkResolvers } from "./resolvers-bulk";
import { flowResolvers } from "./resolvers-flow";
import type { IdSource, ShopState } from "./state";

/**
 * One POST to /admin/api/{version}/graphql.json after authentication: parse, validate, check
 * variables, price the query, charge the bucket, run it, refund the unused cost. Every answer is
 * HTTP 200; the body says what happened, as Shopify's does.
 */

export interface GraphqlRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export interface CostExtension {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

export interface GraphqlResponseBody {
  data?: Record<string, unknown> | null;
  errors?: ShopifyGraphqlError[];
  extensions?: { cost: CostExtension };
}

export interface EndpointContext {
  schema: GraphQLSchema;
  shop: ShopState;
  ids: IdSource;
  bucket: LeakyBucket;
  now: number;
  /** An injected THROTTLED answer: the request is priced but refused whatever the bucket holds. */
  forceThrottle?: boolean;
}

export const THROTTLED_DOCUMENTATION = "https://shopify.dev/api/usage/rate-limits";

export function throttledBody(requestedQueryCost: number, throttleStatus: ThrottleStatus): GraphqlResponseBody {
  return {
    errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: THROTTLED_DOCUMENTATION } }],
    extensions: { cost: { requestedQueryCost, actualQueryCost: null, throttleStatus } },
  };
}

function maxCostBody(cost: number, throttleStatus: ThrottleStatus): GraphqlResponseBody {
  const message =
    `Query cost is ${cost}, which exceeds the single query max cost limit (${MAX_QUERY_COST}).\n\n` +
    "See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\n" +
    "cost of a query is calculated.\n\n" +
    "To query larger amounts of data with fewer limits, bulk operations should be used instead.\n" +
    "See https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n";
  return {
    errors: [{ message, extensions: { code: "MAX_COST_EXCEEDED", cost, maxCost: MAX_QUERY_COST } }],
    extensions: { cost: { requestedQueryCost: cost, actualQueryCost: null, throttleStatus } },
  };
}

function executionError(error: GraphQLError): ShopifyGraphqlError {
  const { message, locations, path, extensions } = error.toJSON();
  return {
    message,
    ...(locations ? { locations: [...locations] } : {}),
    ...(path ? { path: [...path] } : {}),
    ...(extensions && Object.keys(extensions).length ? { extensions } : {}),
  };
}

export async function runGraphql(ctx: EndpointContext, request: GraphqlRequest): Promise<GraphqlResponseBody> {
  if (typeof request.query !== "string" || !request.query.trim()) {
    return { errors: [{ message: "No query string was present", extensions: { code: "PARSE_ERROR" } }] };
  }
  let document: DocumentNode;
  try {
    document = parse(request.query);
  } catch (error) {
    if (error instanceof GraphQLError) return { errors: [parseErrorToShopify(error)] };
    throw error;
  }
  const invalid = validate(ctx.schema, document);
  if (invalid.length) return { errors: invalid.map((e) => validationErrorToShopify(document, e)) };

  const operations = document.definitions.filter(isOperation);
  const operationName = typeof request.operationName === "string" ? request.operationName : null;
  const operation = operationName ? operations.find((op) => op.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation) {
    const message = operationName ? `No operation named "${operationName}"` : "An operation name is required";
    return { errors: [{ message }] };
  }
  const variables = (request.variables && typeof request.variables === "object" ? request.variables : {}) as Record<string, unknown>;
  const badVariables = variableErrors(ctx.schema, operation, variables);
  if (badVariables.length) return { errors: badVariables };

  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  const requested = operationCost(ctx.schema, operation, fragments, variables);
  if (requested > MAX_QUERY_COST) return maxCostBody(requested, ctx.bucket.status());
  if (ctx.forceThrottle || !ctx.bucket.take(requested)) return throttledBody(requested, ctx.bucket.status());

  const result = await execute({
    schema: ctx.schema,
    document,
    operationName: operation.name?.value,
    variableValues: variables,
    rootValue: { ...rootResolvers(ctx.shop, ctx.ids, ctx.now), ...bulkResolvers(ctx.schema, ctx.shop, ctx.ids, ctx.now), ...flowResolvers(ctx.shop, ctx.now) },
  });
  const data = (result.data ?? null) as Record<string, unknown> | null;
  const actual = Math.min(requested, operationCost(ctx.schema, operation, fragments, variables, data));
  ctx.bucket.refund(requested - actual);
  return {
    ...(result.errors?.length ? { errors: result.errors.map(executionError) } : {}),
    data,
    extensions: { cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: ctx.bucket.status() } },
  };
}
