import { GraphQLError, GraphQLScalarType, Kind } from "graphql";

/**
 * Shopify's custom scalars with its coercion rules: DateTime (ISO 8601 in, no milliseconds out),
 * Decimal (a string in, BigDecimal's "5.0" style out, "invalid decimal 'abc'" when not a number),
 * UnsignedInt64 (a digit string).
 */

/** Shopify prints DateTime without milliseconds: "2026-04-27T19:31:14Z". */
export function formatDateTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/** Shopify prints Decimal the way Ruby's BigDecimal does: "5.0", "12.5". */
export function formatDecimal(value: string | number): string {
  const n = Number(value);
  return Number.isInteger(n) ? n.toFixed(1) : String(n);
}

function scalar(name: string, parse: (value: unknown) => unknown, serialize: (value: unknown) => unknown) {
  return new GraphQLScalarType({
    name,
    serialize,
    parseValue: parse,
    parseLiteral(ast) {
      if (ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT) return parse(ast.value);
      throw new GraphQLError(`Could not coerce value to ${name}`);
    },
  });
}

export const dateTime = scalar(
  "DateTime",
  (value) => {
    const ms = typeof value === "string" ? Date.parse(value) : NaN;
    if (Number.isNaN(ms)) throw new GraphQLError(`invalid date-time '${String(value)}'`);
    return ms;
  },
  (value) => (typeof value === "number" ? formatDateTime(value) : value),
);

export const decimal = scalar(
  "Decimal",
  (value) => {
    if ((typeof value !== "string" && typeof value !== "number") || !/^-?\d+(\.\d+)?$/.test(String(value).trim())) {
      throw new GraphQLError(`invalid decimal '${String(value)}'`);
    }
    return String(value).trim();
  },
  (value) => formatDecimal(value as string),
);

export const unsignedInt64 = scalar(
  "UnsignedInt64",
  (value) => {
    if (!/^\d+$/.test(String(value))) throw new GraphQLError(`invalid unsigned integer '${String(value)}'`);
    return String(value);
  },
  (value) => String(value),
);
