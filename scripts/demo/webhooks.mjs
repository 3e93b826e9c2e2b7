// Sends webhooks the way Shopify does: the raw JSON body, HMAC-SHA256 (base64) of it with the app's
// secret, and Shopify's headers. Retries a failed delivery like Shopify (same event id).
import { createHmac, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { wireBody } from "./payloads.mjs";

export const API_VERSION = "2026-07";

export function sign(body, secret) {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

/**
 * One delivery: { topic, payload, eventId?, webhookId?, at? (ms) }. Resolves to the app's answer
 * ({ status, body }); throws after `attempts` tries on network errors and 5xx answers.
 */
export async function deliver(baseUrl, { shop, secret }, delivery, attempts = 4) {
  const body = wireBody(delivery.payload);
  const headers = {
    "Content-Type": "application/json",
    "X-Shopify-Topic": delivery.topic,
    "X-Shopify-Hmac-Sha256": sign(body, secret),
    "X-Shopify-Shop-Domain": shop,
    "X-Shopify-API-Version": API_VERSION,
    "X-Shopify-Webhook-Id": delivery.webhookId ?? randomUUID(),
    "X-Shopify-Event-Id": delivery.eventId ?? randomUUID(),
    "X-Shopify-Triggered-At": new Date(delivery.at ?? Date.now()).toISOString(),
  };
  for (let attempt = 1; ; attempt++) {
    let failure;
    try {
      const response = await fetch(`${baseUrl}/webhooks/${delivery.topic}`, { method: "POST", body, headers });
      const text = await response.text();
      let json = null;
      try {
        json = JSON.parse(text);
      } catch {
        json = { raw: text.slice(0, 300) };
      }
      if (response.status < 500) return { status: response.status, body: json };
      failure = new Error(`${delivery.topic} answered ${response.status}: ${text.slice(0, 300)}`);
    } catch (error) {
      failure = error;
    }
    if (attempt >= attempts) throw failure;
    await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
  }
}

/** Progress on one line (a TTY) or every tenth (a log). */
function progressReporter(total, label) {
  const tty = process.stdout.isTTY;
  let lastTenth = -1;
  const started = performance.now();
  return (done, failed) => {
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const line = `${label} ${done}/${total} (${Math.floor((done / total) * 100)}%, ${rate.toFixed(0)}/s${failed ? `, ${failed} failed` : ""})`;
    if (tty) process.stdout.write(`\r${line}   ${done === total ? "\n" : ""}`);
    else if (Math.floor((done / total) * 10) !== lastTenth || done === total) {
      lastTenth = Math.floor((done / total) * 10);
      console.log(line);
    }
  };
}

/**
 * Replays deliveries in their order with at most `concurrency` in flight, as Shopify does when a
 * store is busy. Returns counts by outcome and timing; the first failures are kept for the report.
 */
export async function replay(baseUrl, target, deliveries, { concurrency = 8, label = "replaying", shouldStop = () => false } = {}) {
  const counts = { processed: 0, queued: 0, duplicate: 0, rejected: 0, failed: 0 };
  const problems = [];
  const report = progressReporter(deliveries.length, label);
  let next = 0;
  let done = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < deliveries.length && !shouldStop()) {
      const delivery = deliveries[next++];
      try {
        const { status, body } = await deliver(baseUrl, target, delivery);
        if (status === 200 && ["processed", "queued", "duplicate"].includes(body?.status)) counts[body.status]++;
        else {
          counts.rejected++;
          if (problems.length < 5) problems.push(`${delivery.topic} ${delivery.payload.id}: HTTP ${status} ${JSON.stringify(body)}`);
        }
      } catch (error) {
        counts.failed++;
        if (problems.length < 5) problems.push(`${delivery.topic} ${delivery.payload.id}: ${error.message ?? error}`);
      }
      report(++done, counts.rejected + counts.failed);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, deliveries.length) }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { counts, problems, sent: done, seconds, perSecond: done / seconds };
}

/**
 * Waits until the app has applied every delivery it stored: under a burst it answers "queued" and
 * applies from its webhook inbox (<database>.inbox.sqlite, next to the database file).
 */
export async function inboxDrained(dbFile, timeoutMs = 600_000) {
  const { default: Database } = await import("better-sqlite3");
  const parsed = path.parse(path.resolve(dbFile));
  const file = path.join(parsed.dir, `${parsed.name}.inbox${parsed.ext || ".sqlite"}`);
  if (!existsSync(file)) return;
  const sqlite = new Database(file, { readonly: true });
  try {
    const deadline = Date.now() + timeoutMs;
    while (sqlite.prepare("SELECT count(*) AS n FROM inbox WHERE processed_at IS NULL").get().n > 0) {
      if (Date.now() > deadline) throw new Error("the app did not apply its stored webhooks in time");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    sqlite.close();
  }
}
