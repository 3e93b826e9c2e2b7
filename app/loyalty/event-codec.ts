import type { LoyaltyEvent } from "./types";

/**
 * A validated event as text and back, for the webhook inbox: storing the event the platform
 * adapter already validated (instead of the platform's whole payload) makes the stored row a
 * fraction of the size and spares the applying thread a second validation. Every date in an event
 * is a field whose name ends in "At" (types.ts), so those are revived as Dates.
 */
export function encodeEvent(event: LoyaltyEvent): string {
  return JSON.stringify(event);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

export function decodeEvent(text: string): LoyaltyEvent {
  return JSON.parse(text, (key, value) => (key.endsWith("At") && typeof value === "string" && ISO_DATE.test(value) ? new Date(value) : value)) as LoyaltyEvent;
}
