#!/usr/bin/env node
// The production server: the built Remix app on Express. PORT=0 picks a free port; the chosen
// address is printed as "listening on http://HOST:PORT" (the test harness reads it).
import express from "express";
import { createRequestHandler } from "@remix-run/express";

const build = await import("./build/server/index.js");
const app = express();
app.disable("x-powered-by");

// Platform webhooks are a few hundred KB at the most; refuse anything absurd before reading it.
const MAX_WEBHOOK_BYTES = 5 * 1024 * 1024;
app.use("/webhooks", (req, res, next) => {
  if (Number(req.headers["content-length"] ?? 0) > MAX_WEBHOOK_BYTES) {
    res.status(413).json({ error: `webhook bodies are limited to ${MAX_WEBHOOK_BYTES} bytes` });
    return;
  }
  next();
});
app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
app.use(express.static("build/client", { maxAge: "1h" }));
app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV ?? "production" }));

const host = process.env.HOST ?? "127.0.0.1";
const server = app.listen(Number(process.env.PORT ?? 3000), host, () => {
  const { port } = server.address();
  console.log(`listening on http://${host}:${port}`);
});

// The scheduler (app/jobs/start.server.ts) runs in this process; its state is in the database.
const stopAutomations = build.entry.module.startAutomations?.() ?? null;

const stop = async () => {
  await stopAutomations?.();
  server.close(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
