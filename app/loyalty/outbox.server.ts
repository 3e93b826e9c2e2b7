import type { Tx } from "../db.server";
import { sqlOf } from "./transaction.server";

/** Side effects that must not slow a webhook down: written with the change, delivered later. */
export type OutboxKind =
  | "tier.changed"
  | "member.enrolled"
  | "compliance.data_request"
  | "shop.uninstalled"
  | "redemption.issue"
  // issue 8: automated messages (app/messages)
  | "message.send"
  | "flow.trigger";

export async function enqueue(tx: Tx, shopId: string, kind: OutboxKind, payload: Record<string, unknown>) {
  sqlOf(tx).insert("OutboxMessage", { shopId, kind, payload: JSON.stringify(payload) });
}
