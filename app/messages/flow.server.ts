import type { Db } from "../db.server";
import { automationSettings } from "../loyalty/automation-settings.server";
import { isTrigger, type Trigger } from "../loyalty/notifications.server";

/**
 * Every message trigger is also a Shopify Flow trigger (extensions/tierwise-flow-*), so merchants
 * can send it through Shopify Email, Klaviyo or an SMS app instead. The call goes through the
 * outbox; Flow ignores triggers no workflow uses, and a repeat after a crash starts a workflow
 * twice at worst (Flow has no idempotency key).
 */

export type AdminGraphql = (query: string, options?: { variables?: Record<string, unknown> }) => Promise<Response>;

/** Shopify refuses flowTriggerReceive payloads of 50 KB or more. */
export const FLOW_PAYLOAD_LIMIT_BYTES = 50_000;

export function flowHandle(trigger: Trigger): string {
  return `tierwise-${trigger.replace(/_/g, "-")}`;
}

const FLOW_TRIGGER_RECEIVE = `#graphql
  mutation TierwiseFlowTrigger($handle: String, $payload: JSON) {
    flowTriggerReceive(handle: $handle, payload: $payload) { userErrors { field message } }
  }`;

/** The fields every Tierwise Flow trigger declares (see the extensions' shopify.extension.toml). */
export function flowPayload(
  member: { platformCustomerId: string; balance: number; tier: { name: string } | null },
  data: Record<string, string | number | null>,
) {
  const detail = data.reward ?? data.target ?? data.lostTier ?? data.order ?? data.tier ?? data.code ?? "";
  const payload = {
    customer_id: Number(member.platformCustomerId),
    "Points balance": member.balance,
    "Tier name": member.tier?.name ?? "",
    Points: Number(data.points ?? data.missing ?? data.milestone ?? data.needed ?? 0),
    Detail: String(detail).slice(0, 255),
  };
  const size = Buffer.byteLength(JSON.stringify(payload));
  if (size >= FLOW_PAYLOAD_LIMIT_BYTES) throw new Error(`Flow payload of ${size} bytes is over Shopify's limit`);
  return payload;
}

export async function sendFlowTrigger(db: Db, graphqlFor: (shopId: string) => Promise<AdminGraphql | null>, messageId: string): Promise<"sent" | "skipped"> {
  const log = await db.messageLog.findUnique({ where: { id: messageId } });
  if (!log || !isTrigger(log.trigger)) return "skipped";
  const member = await db.member.findUnique({ where: { id: log.memberId }, include: { tier: true, shop: true } });
  if (!member || member.redactedAt || member.shop.platform !== "SHOPIFY") return "skipped";
  const settings = await automationSettings(db, member.shopId);
  if (!settings.flowEnabled || !/^\d+$/.test(member.platformCustomerId)) return "skipped";
  const graphql = await graphqlFor(member.shopId);
  if (!graphql) return "skipped";
  const response = await graphql(FLOW_TRIGGER_RECEIVE, {
    variables: { handle: flowHandle(log.trigger), payload: flowPayload(member, JSON.parse(log.data)) },
  });
  const body = (await response.json()) as { data?: { flowTriggerReceive?: { userErrors: { message: string }[] } }; errors?: { message: string }[] };
  const problems = [...(body.errors ?? []), ...(body.data?.flowTriggerReceive?.userErrors ?? [])];
  if (problems.length) throw new Error(`flowTriggerReceive: ${problems.map((p) => p.message).join("; ")}`);
  return "sent";
}
