import { createHmac, timingSafeEqual } from "node:crypto";
import db from "../../db.server";
import { HandOff, HandOffApplier, type HandOffResult } from "../../inbox/handoff.server";
import { Inbox, inboxPath, type InboxRow } from "../../inbox/inbox.server";
import { crashPoint } from "../../loyalty/crash-points.server";
import { processEvents, type EventItem } from "../../loyalty/events.server";
import { decodeEvent, encodeEvent } from "../../loyalty/event-codec";
import { MoneyFormatError } from "../../loyalty/money";
import type { LoyaltyEvent } from "../../loyalty/types";
import { PayloadError } from "./payloads";
import { loyaltyEvent, type ShopifyTopic } from "./events";

/**
 * The loyalty webhooks (orders, refunds, customers) go through the inbox: verify the HMAC, validate
 * the payload, store it, answer. When nothing is waiting in the inbox the delivery is applied before
 * the answer (so a quiet store sees its points at once, and a test can read them right after);
 * under a burst the answer comes as soon as the delivery is stored, and the drain catches up.
 * Either way a stored delivery is never lost: failures are retried by the drain with backoff, not
 * by Shopify.
 */
export const INBOX_TOPICS = {
  "orders/paid": "ORDERS_PAID",
  "orders/fulfilled": "ORDERS_FULFILLED",
  "orders/updated": "ORDERS_UPDATED",
  "orders/cancelled": "ORDERS_CANCELLED",
  "refunds/create": "REFUNDS_CREATE",
  "customers/create": "CUSTOMERS_CREATE",
  "customers/update": "CUSTOMERS_UPDATE",
} as const satisfies Record<string, ShopifyTopic>;

export type InboxTopic = keyof typeof INBOX_TOPICS;

export interface WebhookAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** How long a request waits for its delivery to be applied by the worker before answering "queued". */
const INLINE_BUDGET_MS = 3_000;
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]{0,60}\.myshopify\.com$/;

let inbox: Inbox | null = null;
let drainHere = true;
/** Requests of this process waiting for their delivery to be applied; more than none is a burst. */
let waitingInline = 0;
let wakeDrainer: () => void = () => {};
let handOff: HandOff | null = null;

/**
 * server.mjs applies deliveries in a worker thread, so that applying never holds up answering: the
 * main thread stores each delivery and hands it to the worker in memory (`handOff`, see
 * app/inbox/handoff.server.ts); the worker also drains what is left in the inbox file (after a
 * restart, retries). Without a worker (the dev server), the process that receives also drains.
 */
export function configureInbox(options: { drain: boolean; everyMs?: number; wake?: () => void; handOff?: (rows: InboxRow[]) => void }): Inbox {
  drainHere = options.drain;
  if (options.wake) wakeDrainer = options.wake;
  const box = shopifyInbox(options.drain);
  if (options.handOff) handOff = new HandOff(box, options.handOff);
  if (options.drain) box.start(options.everyMs);
  return box;
}

/** The main thread's side of the hand-off: results from the worker, or the worker gone. */
export function settleHandedOff(results: HandOffResult[]): void {
  handOff?.settled(results);
}

export function handOffLost(): void {
  handOff?.lost();
}

/** The worker's side: applies rows handed off by the main thread and reports each result. */
export function handOffApplier(report: (results: HandOffResult[]) => void): HandOffApplier {
  return new HandOffApplier(applyShopifyDeliveries, report);
}

/** The process's inbox, created on first use. */
export function shopifyInbox(checkpoints = true): Inbox {
  if (!inbox) {
    const lease = Number(process.env.TIERWISE_INBOX_LEASE_MS) || undefined;
    inbox = new Inbox(inboxPath(), applyShopifyDeliveries, Date.now, lease, { checkpoints });
    if (drainHere) inbox.start();
  }
  return inbox;
}

/** Applies stored deliveries in one ledger transaction (each in its own savepoint: see processEvents). */
async function applyShopifyDeliveries(rows: InboxRow[]): Promise<(string | Error)[]> {
  const results: (string | Error)[] = new Array(rows.length);
  const items: EventItem[] = [];
  const positions: number[] = [];
  rows.forEach((row, i) => {
    try {
      const topic = INBOX_TOPICS[row.topic as InboxTopic];
      if (!topic) throw new Error(`no handler for ${row.source} topic ${row.topic}`);
      const at = new Date(row.triggeredAt ?? Date.now());
      const event = row.format === "event" ? decodeEvent(row.body) : loyaltyEvent(topic, JSON.parse(row.body), at);
      items.push({ delivery: { shopDomain: row.shop, dedupeKey: row.dedupeKey, topic, webhookId: row.webhookId, triggeredAt: at }, event });
      positions.push(i);
    } catch (error) {
      results[i] = toError(error);
    }
  });
  const outcomes = items.length ? await processEvents(db, items) : [];
  outcomes.forEach((outcome, k) => {
    results[positions[k]] = outcome.status === "failed" ? toError(outcome.error) : outcome.status;
  });
  return results;
}

const toError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

function signatureValid(rawBody: Buffer, hmacHeader: string | undefined, secret: string): boolean {
  if (!hmacHeader || !secret) return false;
  const expected = createHmac("sha256", secret).update(rawBody).digest();
  let given: Buffer;
  try {
    given = Buffer.from(hmacHeader, "base64");
  } catch {
    return false;
  }
  return given.length === expected.length && timingSafeEqual(given, expected);
}

type Headers = Record<string, string | string[] | undefined>;
const header = (headers: Headers, name: string): string | undefined => {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Receives one Shopify webhook for `expected` (the topic of the route it came to). Used by the
 * Remix routes and, without Remix in between, by server.mjs.
 */
export async function receiveShopifyWebhook(expected: InboxTopic, rawBody: Buffer, headers: Headers, secret = process.env.SHOPIFY_API_SECRET ?? ""): Promise<WebhookAnswer> {
  // The signature first: nothing about an unsigned request is looked at or kept.
  if (!signatureValid(rawBody, header(headers, "x-shopify-hmac-sha256"), secret)) return { status: 401, body: { error: "invalid webhook signature" } };
  const topic = header(headers, "x-shopify-topic");
  const shop = header(headers, "x-shopify-shop-domain");
  const webhookId = header(headers, "x-shopify-webhook-id") ?? null;
  const eventId = header(headers, "x-shopify-event-id") ?? null;
  if (!topic || !shop || !(eventId ?? webhookId)) return { status: 400, body: { error: "missing X-Shopify-Topic, X-Shopify-Shop-Domain or X-Shopify-Webhook-Id" } };
  if (topic !== expected) return { status: 400, body: { error: `topic ${topic} sent to the ${expected} endpoint` } };
  if (!SHOP_DOMAIN.test(shop)) return { status: 400, body: { error: `not a shop domain: ${shop}` } };
  const triggered = Date.parse(header(headers, "x-shopify-triggered-at") ?? "");
  const at = Number.isNaN(triggered) ? Date.now() : triggered;

  const body = rawBody.toString("utf8");
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    return { status: 400, body: { error: "body is not JSON" } };
  }
  let event: LoyaltyEvent;
  try {
    // Validated now, so a bad payload is refused (and never stored) rather than retried forever.
    event = loyaltyEvent(INBOX_TOPICS[expected], payload, new Date(at));
  } catch (error) {
    if (error instanceof PayloadError) return { status: 400, body: { error: error.message, issues: error.issues } };
    if (error instanceof MoneyFormatError) return { status: 400, body: { error: `invalid payload: ${error.message}` } };
    throw error;
  }

  const box = shopifyInbox();
  // X-Shopify-Event-Id is the same on every retry of one event; the webhook id is the fallback.
  const delivery = { source: "shopify", shop, topic, dedupeKey: `shopify:${eventId ?? webhookId}`, webhookId, triggeredAt: at, body: encodeEvent(event), format: "event" as const };
  const queued = { status: 200, body: { ok: true, status: "queued" } };
  const duplicate = { status: 200, body: { ok: true, status: "duplicate" } };
  let outcome: string | null;
  if (!drainHere) {
    // server.mjs: a worker thread applies. The deliveries of one event-loop turn are stored in one
    // commit, already claimed by this thread when it can hand them to the worker in memory.
    const handing = handOff?.canTake() ?? false;
    const stored = await box.acceptSoon(delivery, { claim: handing });
    if (!stored) return duplicate;
    crashPoint("inbox:after-accept");
    if (!handing) {
      // More than the hand-off holds is in flight: the row waits in the inbox for the worker's drain.
      wakeDrainer();
      return queued;
    }
    // A quiet store (the worker has nothing of ours, nobody else waits): apply it now, so the answer
    // (and the shopper's balance) reflects it. Under a burst: answer at once, applied in arrival order.
    const lone = waitingInline === 0 && handOff!.quiet();
    handOff!.give({ ...delivery, id: stored.id, attempts: 0 });
    if (!lone) return queued;
    waitingInline++;
    try {
      outcome = await handOff!.wait(stored.id, INLINE_BUDGET_MS);
    } finally {
      waitingInline--;
    }
    return { status: 200, body: { ok: true, status: outcome ?? "queued" } };
  }
  // The dev server and tests in one process: this process drains too. A lone delivery is claimed as
  // it is stored and applied now; under a burst (another request waits, or rows wait) it is queued.
  const backlog = waitingInline > 0 || box.hasPending();
  const stored = box.accept(delivery, { claim: !backlog });
  if (!stored) return duplicate;
  crashPoint("inbox:after-accept");
  if (backlog) {
    void box.drain();
    return queued;
  }
  waitingInline++;
  try {
    outcome = await box.applyNow(stored.id);
  } finally {
    waitingInline--;
  }
  return { status: 200, body: { ok: true, status: outcome ?? "queued" } };
}

/** The Remix route's side: the same receiver, on a Fetch API request. */
export async function receiveShopifyWebhookRequest(request: Request, expected: InboxTopic): Promise<Response> {
  if (request.method !== "POST") return Response.json({ error: "method not allowed" }, { status: 405 });
  const headers: Headers = {};
  request.headers.forEach((value, key) => (headers[key] = value));
  const answer = await receiveShopifyWebhook(expected, Buffer.from(await request.arrayBuffer()), headers);
  return Response.json(answer.body, { status: answer.status });
}
