import {
  coerceInputValue,
  GraphQLError,
  isNonNullType,
  Kind,
  print,
  typeFromAST,
  visit,
  type ASTNode,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";

/**
 * Shopify runs graphql-ruby; these turn graphql-js errors into the messages and `extensions`
 * Shopify answers with (HTTP 200, `errors` only, no `data`), as captured from the Admin API:
 *   syntax:   "syntax error, unexpected end of file at [3, 5]"                 code PARSE_ERROR
 *   field:    "Field 'x' doesn't exist on type 'QueryRoot'"                     code undefinedField
 *   leaf:     "Field must have selections (field 'shop' returns Shop but ...)"  code selectionMismatch
 *   variable: "Variable $input of type X! was provided invalid value"          code INVALID_VARIABLE
 * Other validation errors keep graphql-js's message.
 */

export interface ShopifyGraphqlError {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

export function parseErrorToShopify(error: GraphQLError): ShopifyGraphqlError {
  const location = error.locations?.[0] ?? { line: 1, column: 1 };
  const description = error.message.replace(/^Syntax Error: /, "");
  const reason = description.includes("<EOF>") ? "unexpected end of file" : description.charAt(0).toLowerCase() + description.slice(1);
  return {
    message: `syntax error, ${reason} at [${location.line}, ${location.column}]`,
    locations: [location],
    extensions: { code: "PARSE_ERROR" },
  };
}

/** graphql-ruby's error path: ["query Name", "field", "subfield"] down to the offending node. */
function pathTo(document: DocumentNode, target: ASTNode | undefined): string[] | undefined {
  if (!target) return undefined;
  let found: string[] | undefined;
  const stack: string[] = [];
  visit(document, {
    OperationDefinition: {
      enter(node) {
        stack.push(node.name ? `${node.operation} ${node.name.value}` : node.operation);
      },
      leave() {
        stack.pop();
      },
    },
    FragmentDefinition: {
      enter(node) {
        stack.push(`fragment ${node.name.value}`);
      },
      leave() {
        stack.pop();
      },
    },
    Field: {
      enter(node) {
        stack.push(node.alias?.value ?? node.name.value);
        if (node === target) found = [...stack];
      },
      leave() {
        stack.pop();
      },
    },
  });
  return found;
}

export function validationErrorToShopify(document: DocumentNode, error: GraphQLError): ShopifyGraphqlError {
  const base = { locations: error.locations ? [...error.locations] : undefined, path: pathTo(document, error.nodes?.[0]) };
  let match = /^Cannot query field "(.+?)" on type "(.+?)"\./.exec(error.message);
  if (match) {
    const [, fieldName, typeName] = match;
    return { message: `Field '${fieldName}' doesn't exist on type '${typeName}'`, ...base, extensions: { code: "undefinedField", typeName, fieldName } };
  }
  match = /^Field "(.+?)" of type "(.+?)" must have a selection of subfields/.exec(error.message);
  if (match) {
    const [, field, type] = match;
    const typeName = type.replace(/[[\]!]/g, "");
    return {
      message: `Field must have selections (field '${field}' returns ${typeName} but has no selections. Did you mean '${field} { ... }'?)`,
      ...base,
      extensions: { code: "selectionMismatch", nodeName: `field '${field}'`, typeName },
    };
  }
  match = /^Field "(.+?)" argument "(.+?)" of type "(.+?)" is required, but it was not provided\./.exec(error.message);
  if (match) {
    const [, name, argument] = match;
    return {
      message: `Field '${name}' is missing required arguments: ${argument}`,
      ...base,
      extensions: { code: "missingRequiredArguments", className: "Field", name, arguments: argument },
    };
  }
  match = /^Unknown argument "(.+?)" on field "(.+?)\.(.+?)"\./.exec(error.message);
  if (match) {
    const [, argumentName, , name] = match;
    return {
      message: `Field '${name}' doesn't accept argument '${argumentName}'`,
      ...base,
      extensions: { code: "argumentNotAccepted", name, typeName: "Field", argumentName },
    };
  }
  return { message: error.message, ...base, extensions: { code: "GRAPHQL_VALIDATION_FAILED" } };
}

function explanationOf(schema: GraphQLSchema, error: GraphQLError, invalidValue: unknown, type: GraphQLInputType): string {
  let match = /^Field "(.+?)" is not defined by type "(.+?)"/.exec(error.message);
  if (match) return `Field is not defined on ${match[2]}`;
  if (/was not provided|not to be null/.test(error.message) || (invalidValue == null && isNonNullType(type))) {
    return "Expected value to not be null";
  }
  match = /^Value "(.+?)" does not exist in "(.+?)" enum/.exec(error.message);
  if (match) return `Expected "${match[1]}" to be one of: ${enumValues(schema, match[2])}`;
  match = /^(\w+) cannot represent/.exec(error.message);
  if (match) return `Could not coerce value ${JSON.stringify(invalidValue)} to ${match[1]}`;
  return error.message.replace(/^Expected type "\w+"\. /, "");
}

function enumValues(schema: GraphQLSchema, enumName: string): string {
  const named = schema.getType(enumName) as { getValues?: () => { name: string }[] } | undefined;
  return named?.getValues?.().map((v) => v.name).join(", ") ?? "";
}

/**
 * Checks the request's variables against the operation's definitions before anything runs. Returns
 * Shopify's INVALID_VARIABLE errors (an empty list when all variables are valid).
 */
export function variableErrors(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): ShopifyGraphqlError[] {
  const errors: ShopifyGraphqlError[] = [];
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
    if (!type) continue;
    const provided = Object.prototype.hasOwnProperty.call(variables, name);
    if (!provided && definition.defaultValue) continue;
    const value = provided ? variables[name] : null;
    const problems: { path: (string | number)[]; explanation: string; message?: string }[] = [];
    coerceInputValue(value, type, (path, invalidValue, error) => {
      const explanation = explanationOf(schema, error, invalidValue, type);
      // Shopify repeats a scalar's own complaint as `message` (e.g. "invalid decimal 'abc'").
      const fromScalar = error.originalError === undefined && !/^Field "|^Expected |cannot represent|does not exist in/.test(error.message);
      const unknownField = /^Field "(.+?)" is not defined by type/.exec(error.message)?.[1];
      problems.push({ path: unknownField ? [...path, unknownField] : [...path], explanation, ...(fromScalar ? { message: explanation } : {}) });
    });
    if (!problems.length) continue;
    const first = problems[0];
    const detail = first.path.length ? ` for ${first.path.join(".")} (${first.explanation})` : "";
    errors.push({
      message: `Variable $${name} of type ${print(definition.type)} was provided invalid value${detail}`,
      locations: definition.loc ? [locationOf(definition.loc.source.body, definition.loc.start)] : undefined,
      extensions: { code: "INVALID_VARIABLE", value: value ?? null, problems },
    });
  }
  return errors;
}

function locationOf(body: string, offset: number) {
  const before = body.slice(0, offset).split("\n");
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

export function isOperation(node: { kind: string }): node is OperationDefinitionNode {
  return node.kind === Kind.OPERATION_DEFINITION;
}
