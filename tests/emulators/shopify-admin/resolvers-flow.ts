import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { ShopState } from "./state";

/**
 * Shopify Flow's trigger endpoint, `flowTriggerReceive(handle, payload)`: Flow starts the workflows
 * that begin with the app's trigger `handle`. Checked like Flow does: the handle must be one of the
 * app's flow_trigger extensions (read from extensions/*\/shopify.extension.toml), the payload must
 * be under 50 KB, carry every declared field with its type, and a customer_reference must name an
 * existing customer. Accepted triggers are recorded per shop for tests.
 */

export const FLOW_SDL = /* GraphQL */ `
scalar JSON
type FlowTriggerReceivePayload { userErrors: [UserError!]! }
extend type Mutation {
  flowTriggerReceive(body: String, handle: String, payload: JSON): FlowTriggerReceivePayload
}
`;

export const FLOW_PAYLOAD_LIMIT_BYTES = 50_000;

interface TriggerField {
  type: string;
  key: string | null;
}

export interface ReceivedFlowTrigger {
  handle: string;
  payload: Record<string, unknown>;
  at: number;
}

/** The app's declared flow triggers: handle -> fields. */
export function declaredFlowTriggers(root = path.resolve(import.meta.dirname, "../../..")): Map<string, TriggerField[]> {
  const triggers = new Map<string, TriggerField[]>();
  const dir = path.join(root, "extensions");
  for (const name of readdirSync(dir)) {
    let toml: string;
    try {
      toml = readFileSync(path.join(dir, name, "shopify.extension.toml"), "utf8");
    } catch {
      continue;
    }
    if (!/^type\s*=\s*"flow_trigger"/m.test(toml)) continue;
    const handle = /^handle\s*=\s*"([^"]+)"/m.exec(toml)?.[1];
    if (!handle) continue;
    const fields = toml
      .split("[[settings.fields]]")
      .slice(1)
      .map((block) => ({ type: /^type\s*=\s*"([^"]+)"/m.exec(block)?.[1] ?? "", key: /^key\s*=\s*"([^"]+)"/m.exec(block)?.[1] ?? null }));
    triggers.set(handle, fields);
  }
  return triggers;
}

const received = new WeakMap<ShopState, ReceivedFlowTrigger[]>();
let declared: Map<string, TriggerField[]> | null = null;

export function flowTriggersReceived(shop: ShopState): ReceivedFlowTrigger[] {
  return received.get(shop) ?? [];
}

const REFERENCE_KEYS: Record<string, string> = { customer_reference: "customer_id", order_reference: "order_id", product_reference: "product_id" };

function fieldError(field: TriggerField, payload: Record<string, unknown>, shop: ShopState): string | null {
  const key = REFERENCE_KEYS[field.type] ?? field.key ?? "";
  const value = payload[key];
  if (value === undefined || value === null) return `Missing field '${key}'`;
  switch (field.type) {
    case "customer_reference":
      return Number.isSafeInteger(value) && shop.customers.has(`gid://shopify/Customer/${value}`) ? null : `Customer ${String(value)} does not exist`;
    case "number_integer":
      return Number.isSafeInteger(value) ? null : `Field '${key}' must be an integer`;
    case "number_decimal":
      return typeof value === "number" ? null : `Field '${key}' must be a number`;
    case "boolean":
      return typeof value === "boolean" ? null : `Field '${key}' must be a boolean`;
    default:
      return typeof value === "string" && !/[\r\n]/.test(value) ? null : `Field '${key}' must be a single line of text`;
  }
}

export function flowResolvers(shop: ShopState, now: number) {
  return {
    flowTriggerReceive: ({ handle, payload }: { handle?: string | null; payload?: unknown }) => {
      declared ??= declaredFlowTriggers();
      const fields = handle ? declared.get(handle) : undefined;
      if (!handle || !fields) return { userErrors: [{ field: ["handle"], message: `Invalid handle '${handle ?? ""}'` }] };
      if (!payload || typeof payload !== "object" || Array.isArray(payload)) return { userErrors: [{ field: ["payload"], message: "Payload must be an object" }] };
      const size = Buffer.byteLength(JSON.stringify(payload));
      if (size >= FLOW_PAYLOAD_LIMIT_BYTES) return { userErrors: [{ field: ["payload"], message: `Payload exceeds the ${FLOW_PAYLOAD_LIMIT_BYTES} byte limit` }] };
      const errors = fields.map((f) => fieldError(f, payload as Record<string, unknown>, shop)).filter((e): e is string => e !== null);
      if (errors.length) return { userErrors: errors.map((message) => ({ field: ["payload"], message })) };
      const list = received.get(shop) ?? [];
      list.push({ handle, payload: payload as Record<string, unknown>, at: now });
      received.set(shop, list);
      return { userErrors: [] };
    },
  };
}
