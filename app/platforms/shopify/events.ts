import type { LoyaltyEvent } from "../../loyalty/types";
import { customerFacts, orderFacts, parseCustomer, parseOrder, parseRefund, refundCurrency, refundFacts } from "./payloads";

/** The Shopify topics Tierwise subscribes to (shopify.app.toml), as authenticate.webhook names them. */
export type ShopifyTopic =
  | "ORDERS_PAID"
  | "ORDERS_FULFILLED"
  | "ORDERS_UPDATED"
  | "ORDERS_CANCELLED"
  | "REFUNDS_CREATE"
  | "CUSTOMERS_CREATE"
  | "CUSTOMERS_UPDATE"
  | "APP_UNINSTALLED"
  | "CUSTOMERS_DATA_REQUEST"
  | "CUSTOMERS_REDACT"
  | "SHOP_REDACT";

export function loyaltyEvent(topic: ShopifyTopic, payload: unknown, at: Date): LoyaltyEvent {
  switch (topic) {
    case "ORDERS_PAID":
    case "ORDERS_FULFILLED":
    case "ORDERS_UPDATED":
    case "ORDERS_CANCELLED":
      return {
        type: "order",
        order: orderFacts(parseOrder(payload), { paid: topic === "ORDERS_PAID", fulfilled: topic === "ORDERS_FULFILLED", at }),
      };
    case "REFUNDS_CREATE": {
      const refund = parseRefund(payload);
      return { type: "refund", platformOrderId: refund.order_id, refund: refundFacts(refund, refundCurrency(refund, "USD")) };
    }
    case "CUSTOMERS_CREATE":
    case "CUSTOMERS_UPDATE":
      return { type: "customer", customer: customerFacts(parseCustomer(payload)) };
    default:
      throw new Error(`no loyalty event for ${topic}`);
  }
}

