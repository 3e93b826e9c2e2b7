#!/usr/bin/env node
// The production server: the built Remix app on Express. PORT=0 picks a free port; the chosen
// address is printed as "listening on http://HOST:PORT" (the test harness reads it).
import express from "express";
import { createRequestHandler } from "@remix-run/express";
import { Worker } from "node:worker_threads";

const build = await import("./build/server/index.js");
const app = express();
app.disable("x-powered-by");
// No ETags on app answers (Express would hash every JSON body); static files keep theirs.
app.set("etag", false);

// Platform webhooks are a few hundred KB at the most; refuse anything absurd before reading it.
const MAX_WEBHOOK_BYTES = 5 * 1024 * 1024;
app.use("/webhooks", (req, res, next) => {
  if (Number(req.headers["content-length"] ?? 0) > MAX_WEBHOOK_BYTES) {
    res.status(413).json({ error: `webhook bodies are limited to ${MAX_WEBHOOK_BYTES} bytes` });
    return;
  }
  next();
});
// The loyalty webhooks (orders, refunds, customers) skip Remix: they are verified, validated and
// stored in the webhook inbox by the same function the Remix routes call, which is what lets a
// burst of deliveries be answered in milliseconds.
const { configureInbox, handOffLost, INBOX_TOPICS, receiveShopifyWebhook, settleHandedOff } = build.entry.module;
for (const topic of Object.keys(INBOX_TOPICS)) {
  app.post(`/webhooks/${topic}`, express.raw({ type: () => true, limit: MAX_WEBHOOK_BYTES }), async (req, res, next) => {
    try {
      const answer = await receiveShopifyWebhook(topic, Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0), req.headers);
      res.writeHead(answer.status, { "Content-Type": "application/json; charset=utf-8" }).end(JSON.stringify(answer.body));
    } catch (error) {
      next(error);
    }
  });
}
// ---- the widget's status (GET /apps/tierwise/status via the app proxy): without Remix ----
// The widget's one request per page view, answered by the function the Remix route proxy.status
// calls (verification, reads on a read-only SQLite connection, the cached program); synchronous,
// and registered before the static files so it costs no file lookup. See docs/decisions/013.
const { answerProxyStatus, closeStorefrontReads } = build.entry.module;
app.get("/proxy/status", (req, res, next) => {
  try {
    const answer = answerProxyStatus(req.originalUrl, req.headers["accept-language"]);
    res.statusCode = answer.status;
    for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
    res.end(answer.body);
  } catch (error) {
    next(error);
  }
});
process.once("exit", () => closeStorefrontReads());
// ---- end of the widget's status ----
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
const server = app.listen(Number(process.env.PORT ?? 3000), host, () => {
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
    process.exit(0);
  });
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
