import {
  getNamedType,
  isAbstractType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  valueFromASTUntyped,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedOutputType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

/**
 * Calculated query cost, per shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits:
 * scalars and enums 0, objects 1, unions and interfaces the maximum of their possible selections,
 * connections sized by `first`/`last`, mutations 10. Two details were calibrated on captured
 * Admin API 2026-04 responses (cost 10 for `discountCodeDelete {deletedCodeDiscountId userErrors}`,
 * 16 for a create that selects `codes(first: 1)` and `context`, 20 for the full lifecycle read):
 * a connection costs 2 + n × (1 + its node's selections), and the mutation's 10 already pays for
 * the objects directly in its payload. Value objects (MoneyV2, DiscountCombinesWith, PageInfo)
 * cost nothing. In `actual` mode (after execution) objects that came back null cost nothing.
 */

export const MUTATION_COST = 10;
export const MAX_QUERY_COST = 1000;
const FREE_TYPES = new Set(["MoneyV2", "DiscountCombinesWith", "PageInfo"]);

interface Walk {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  /** After execution: price what the response data holds rather than what was asked. */
  actual: boolean;
}

type Data = unknown;

function argument(field: FieldNode, name: string, walk: Walk): unknown {
  const arg = field.arguments?.find((a) => a.name.value === name);
  if (!arg) return undefined;
  if (arg.value.kind === Kind.VARIABLE) return walk.variables[arg.value.name.value];
  return valueFromASTUntyped(arg.value, walk.variables);
}

/** The fields a selection set asks of `type`, fragments flattened (several entries per response key are fine). */
function fieldsFor(type: GraphQLObjectType, selectionSet: SelectionSetNode, walk: Walk): FieldNode[] {
  const out: FieldNode[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) out.push(selection);
    else {
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : walk.fragments[selection.name.value];
      if (!fragment) continue;
      const condition = fragment.typeCondition?.name.value;
      const conditionType = condition ? walk.schema.getType(condition) : type;
      const applies =
        !conditionType ||
        conditionType === type ||
        (isAbstractType(conditionType) && walk.schema.isSubType(conditionType, type));
      if (applies) out.push(...fieldsFor(type, fragment.selectionSet, walk));
    }
  }
  return out;
}

function keyOf(field: FieldNode): string {
  return field.alias?.value ?? field.name.value;
}

/** Cost of a selection set on a composite type; for unions and interfaces the costliest member. */
function selectionCost(type: GraphQLCompositeType, selectionSet: SelectionSetNode, walk: Walk, data: Data): number {
  const objectTypes = isObjectType(type) ? [type] : walk.schema.getPossibleTypes(type);
  let max = 0;
  for (const objectType of objectTypes) {
    if (walk.actual && data && typeof data === "object" && "__typename" in data && data.__typename !== objectType.name) continue;
    let sum = 0;
    for (const field of fieldsFor(objectType, selectionSet, walk)) {
      const def = objectType.getFields()[field.name.value];
      if (def) sum += fieldCost(def, field, walk, pick(data, keyOf(field)));
    }
    max = Math.max(max, sum);
  }
  return max;
}

function pick(data: Data, key: string): Data {
  return data && typeof data === "object" ? (data as Record<string, unknown>)[key] : undefined;
}

function unwrap(type: GraphQLOutputType): { named: GraphQLNamedOutputType; list: boolean } {
  const inner = isNonNullType(type) ? type.ofType : type;
  return { named: getNamedType(type), list: isListType(inner) };
}

function fieldCost(def: GraphQLField<unknown, unknown>, field: FieldNode, walk: Walk, data: Data): number {
  const { named, list } = unwrap(def.type);
  if (isLeafType(named) || !field.selectionSet) return 0;
  if (walk.actual && data == null) return 0;
  if (named.name.endsWith("Connection") && isObjectType(named)) return connectionCost(named, field, walk, data);
  const own = FREE_TYPES.has(named.name) ? 0 : 1;
  if (list) {
    // A plain list is charged once, not per element (it is bounded by the parent).
    const items = walk.actual && Array.isArray(data) ? data : [undefined];
    return own + Math.max(0, ...items.map((item) => selectionCost(named as GraphQLCompositeType, field.selectionSet!, walk, item)));
  }
  return own + selectionCost(named as GraphQLCompositeType, field.selectionSet, walk, data);
}

function connectionCost(connection: GraphQLObjectType, field: FieldNode, walk: Walk, data: Data): number {
  // Sized by `first`/`last` in both modes: captured responses keep the full connection price in
  // actualQueryCost even when fewer items came back (codes(first: 2) returning one code: 20/20).
  const count = Number(argument(field, "first", walk) ?? argument(field, "last", walk) ?? 0);
  let perItem = 0;
  for (const sub of fieldsFor(connection, field.selectionSet!, walk)) {
    const subData = pick(data, keyOf(sub));
    const items = Array.isArray(subData) && subData.length ? subData : [undefined];
    if (sub.name.value === "nodes" && sub.selectionSet) {
      const nodeType = getNamedType(connection.getFields().nodes.type) as GraphQLCompositeType;
      perItem = Math.max(perItem, 1 + Math.max(...items.map((item) => selectionCost(nodeType, sub.selectionSet!, walk, item))));
    }
    if (sub.name.value === "edges" && sub.selectionSet) {
      const edgeType = getNamedType(connection.getFields().edges.type) as GraphQLObjectType;
      perItem = Math.max(perItem, 1 + Math.max(...items.map((item) => edgeNodeCost(edgeType, sub.selectionSet!, walk, item))));
    }
  }
  return 2 + count * perItem;
}

function edgeNodeCost(edgeType: GraphQLObjectType, selectionSet: SelectionSetNode, walk: Walk, data: Data): number {
  let cost = 0;
  for (const field of fieldsFor(edgeType, selectionSet, walk)) {
    if (field.name.value !== "node" || !field.selectionSet) continue;
    const nodeType = getNamedType(edgeType.getFields().node.type) as GraphQLCompositeType;
    cost = Math.max(cost, selectionCost(nodeType, field.selectionSet, walk, pick(data, keyOf(field))));
  }
  return cost;
}

/** The operation's cost: requested (before running) or actual (from the response data). */
export function operationCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  data?: Record<string, unknown> | null,
): number {
  const walk: Walk = { schema, fragments, variables, actual: data !== undefined };
  const root = operation.operation === "mutation" ? schema.getMutationType() : schema.getQueryType();
  if (!root) return 0;
  if (operation.operation !== "mutation") return selectionCost(root, operation.selectionSet, walk, data);
  let total = 0;
  for (const field of fieldsFor(root, operation.selectionSet, walk)) {
    const def = root.getFields()[field.name.value];
    if (!def) continue;
    const payload = pick(data, keyOf(field));
    total += MUTATION_COST;
    if (walk.actual && payload == null) continue;
    const payloadType = getNamedType(def.type) as GraphQLObjectType;
    if (!field.selectionSet || !isObjectType(payloadType)) continue;
    for (const child of fieldsFor(payloadType, field.selectionSet, walk)) {
      const childDef = payloadType.getFields()[child.name.value];
      if (!childDef || isLeafType(getNamedType(childDef.type))) continue;
      // The payload's own objects (codeDiscountNode, node, userErrors...) come with the mutation.
      const selfCost = FREE_TYPES.has(getNamedType(childDef.type).name) ? 0 : 1;
      total += Math.max(0, fieldCost(childDef, child, walk, pick(payload, keyOf(child))) - selfCost);
    }
  }
  return total;
}
