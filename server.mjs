#!/usr/bin/env node
// The production server: the built Remix app on Express. PORT=0 picks a free port; the chosen
// address is printed as "listening on http://HOST:PORT" (the test harness reads it).
import express from "express";
import { createRequestHandler } from "@remix-run/express";
import { createServer } from "node:http";
import { Worker } from "node:worker_threads";

const build = await import("./build/server/index.js");
// The main database's WAL checkpoints run in a thread of their own (app/db/checkpointer.server.ts);
// started before any connection opens, so that every connection, the worker's too, leaves them to it.
const checkpointer = build.entry.module.startDatabaseCheckpointer();
const app = express();
app.disable("x-powered-by");
// No ETags on app answers (Express would hash every JSON body); static files keep theirs.
app.set("etag", false);

// ---- the hot paths, answered before Express: webhooks and the widget's status ----
// The loyalty webhooks (orders, refunds, customers) skip Remix and Express: they are verified,
// validated and stored in the webhook inbox by the same function the Remix routes call, which is
// what lets a burst of deliveries be answered in a fraction of a millisecond each (Express's
// request set-up, router and body parser cost about as much as storing a delivery).
const { configureInbox, handOffLost, INBOX_TOPICS, receiveShopifyWebhook, settleHandedOff } = build.entry.module;
// Platform webhooks are a few hundred KB at the most; refuse anything absurd before reading it.
const MAX_WEBHOOK_BYTES = 5 * 1024 * 1024;
const webhookTopics = new Map(Object.keys(INBOX_TOPICS).map((topic) => [`/webhooks/${topic}`, topic]));
// The widget's one request per page view (GET /apps/tierwise/status via the app proxy), answered by
// the function the Remix route proxy.status calls (verification, reads on a read-only SQLite
// connection, the cached program); synchronous. See docs/decisions/013.
const { answerProxyStatus, closeStorefrontReads } = build.entry.module;
process.once("exit", () => closeStorefrontReads());

function sendJson(res, status, body) {
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8" }).end(JSON.stringify(body));
}

function failed(req, res, error) {
  console.error(JSON.stringify({ msg: "request failed", path: req.url, error: String(error) }));
  if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
  else res.destroy();
}

function receiveWebhook(req, res, topic) {
  if (Number(req.headers["content-length"] ?? 0) > MAX_WEBHOOK_BYTES) {
    sendJson(res, 413, { error: `webhook bodies are limited to ${MAX_WEBHOOK_BYTES} bytes` });
    req.resume();
    return;
  }
  // Shopify sends bodies as they are; a compressed one would not match its signature anyway.
  const encoding = req.headers["content-encoding"];
  if (encoding && encoding !== "identity") {
    sendJson(res, 415, { error: `unsupported Content-Encoding: ${encoding}` });
    req.resume();
    return;
  }
  const chunks = [];
  let size = 0;
  let refused = false;
  req.on("data", (chunk) => {
    if (refused) return;
    size += chunk.length;
    if (size > MAX_WEBHOOK_BYTES) {
      refused = true;
      chunks.length = 0;
      sendJson(res, 413, { error: `webhook bodies are limited to ${MAX_WEBHOOK_BYTES} bytes` });
      return;
    }
    chunks.push(chunk);
  });
  req.on("end", () => {
    if (refused) return;
    const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
    receiveShopifyWebhook(topic, body, req.headers).then(
      (answer) => sendJson(res, answer.status, answer.body),
      (error) => failed(req, res, error),
    );
  });
  req.on("error", () => res.destroy());
}

function answerStatus(req, res) {
  try {
    const answer = answerProxyStatus(req.url, req.headers["accept-language"]);
    res.statusCode = answer.status;
    for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
    res.end(answer.body);
  } catch (error) {
    failed(req, res, error);
  }
}

/** The request listener: the hot paths by exact path, everything else to Express (and Remix). */
function listener(req, res) {
  const q = req.url.indexOf("?");
  const pathname = q < 0 ? req.url : req.url.slice(0, q);
  const topic = webhookTopics.get(pathname);
  if (topic && req.method === "POST") return receiveWebhook(req, res, topic);
  if (pathname === "/proxy/status" && (req.method === "GET" || req.method === "HEAD")) return answerStatus(req, res);
  app(req, res);
}
// ---- end of the hot paths ----

// Everything else under /webhooks (compliance topics, app/uninstalled...) goes to Remix; still no
// absurd bodies.
app.use("/webhooks", (req, res, next) => {
  if (Number(req.headers["content-length"] ?? 0) > MAX_WEBHOOK_BYTES) {
    res.status(413).json({ error: `webhook bodies are limited to ${MAX_WEBHOOK_BYTES} bytes` });
    return;
  }
  next();
});
app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
app.use(express.static("build/client", { maxAge: "1h" }));
// The peer address lets the local demo admin insist on loopback requests (app/admin/demo-mode.server.ts).
app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV ?? "production", getLoadContext: (req) => ({ remoteAddress: req.socket.remoteAddress }) }));

app.use((error, req, res, next) => {
  if (res.headersSent) return next(error);
  console.error(JSON.stringify({ msg: "request failed", path: req.path, error: String(error) }));
  res.status(error.status ?? 500).json({ error: error.status === 413 ? "body too large" : "internal error" });
});

// Stored deliveries are applied, and scheduled jobs run, in a worker thread (inbox-worker.mjs),
// including deliveries left by a crash or restart; this thread verifies, stores, hands each stored
// delivery to the worker and answers (app/inbox/handoff.server.ts).
const inbox = configureInbox({
  drain: false,
  wake: () => drainer?.postMessage("drain"),
  handOff: (rows) => drainer?.postMessage({ type: "apply", rows }),
});
let stopping = false;
let drainer;
let drainerReady;
const ready = new Promise((resolve) => (drainerReady = resolve));
function startDrainer() {
  drainer = new Worker(new URL("./inbox-worker.mjs", import.meta.url));
  drainer.on("message", (message) => {
    if (message === "ready") drainerReady();
    else if (message?.type === "applied") settleHandedOff(message.results);
  });
  drainer.on("error", (error) => console.error(JSON.stringify({ msg: "inbox worker failed", error: String(error) })));
  drainer.on("exit", () => {
    // What the worker held goes back to the inbox, for the next worker's drain.
    handOffLost();
    if (!stopping) setTimeout(startDrainer, 1000).unref();
  });
}
startDrainer();
// Listen once the drain can apply: a delivery that comes in is then applied within its request.
await Promise.race([ready, new Promise((resolve) => setTimeout(resolve, 60_000).unref())]);

const host = process.env.HOST ?? "127.0.0.1";
const server = createServer(listener);
server.listen(Number(process.env.PORT ?? 3000), host, () => {
  const { port } = server.address();
  console.log(`listening on http://${host}:${port}`);
});

const stop = () =>
  server.close(async () => {
    // Let the delivery being applied finish; anything left waits in the inbox for the next start.
    stopping = true;
    const drained = new Promise((resolve) => drainer.once("exit", resolve));
    drainer.postMessage("stop");
    await drained;
    await inbox.stop();
    await checkpointer?.stop();
    process.exit(0);
  });
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
