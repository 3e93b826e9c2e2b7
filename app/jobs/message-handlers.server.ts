import type { Db } from "../db.server";
import { sendFlowTrigger, type AdminGraphql } from "../messages/flow.server";
import { sendMessage, type MessageDeps } from "../messages/send.server";
import type { OutboxHandlers } from "./outbox-worker.server";

/** The outbox handlers of automated messages: the email, and the Shopify Flow trigger. */
export function messageOutboxHandlers(
  deps: MessageDeps & { graphqlFor?: (shopId: string) => Promise<AdminGraphql | null> },
): OutboxHandlers {
  const db: Db = deps.db;
  return {
    async "message.send"(_message, payload) {
      await sendMessage(deps, String(payload.messageId));
    },
    async "flow.trigger"(_message, payload) {
      if (!deps.graphqlFor) return;
      await sendFlowTrigger(db, deps.graphqlFor, String(payload.messageId));
    },
  };
}
