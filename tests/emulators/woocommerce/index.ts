/**
 * An emulator of the WooCommerce REST API (wc/v3) that Tierwise uses, over real HTTP or HTTPS on
 * 127.0.0.1. See README.md in this folder.
 */
export { createWooEmulator, DEFAULT_KEY, WEBHOOK_TOPICS, type WooEmulator, type WooEmulatorOptions } from "./emulator";
export { MAX_FAILURES, type DeliveryRecord } from "./webhooks";
export { WooStore, wcDate, type ApiKey, type LineInput } from "./store";
