import { PassThrough } from "node:stream";
import type { EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { addDocumentResponseHeaders } from "./shopify.server";
import { databaseFile, databaseUrl } from "./db.server";
import { startCheckpointer, type Checkpointer } from "./db/checkpointer.server";

const ABORT_DELAY = 5000;

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  addDocumentResponseHeaders(request, responseHeaders);
  const callbackName = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";

  return new Promise((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(
      <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} />,
      {
        [callbackName]: () => {
          const body = new PassThrough();
          const stream = createReadableStreamFromReadable(body);
          responseHeaders.set("Content-Type", "text/html");
          resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error) {
          reject(error);
        },
        onError(error) {
          responseStatusCode = 500;
          console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

// For server.mjs: the loyalty webhooks are answered without Remix in between (see ingest.server).
export { configureInbox, handOffApplier, handOffLost, INBOX_TOPICS, receiveShopifyWebhook, settleHandedOff } from "./platforms/shopify/ingest.server";

// For server.mjs, before anything opens the database: WAL checkpoints in a thread of their own.
export function startDatabaseCheckpointer(): Checkpointer | null {
  const url = databaseUrl();
  return url.startsWith("file:") ? startCheckpointer(databaseFile(url)) : null;
}

// server.mjs starts the scheduler through the server build.
export { startAutomations } from "./jobs/start.server";

// For server.mjs: the widget's status through the app proxy, answered without Remix in between
// (the Remix route proxy.status calls the same function); its read connection closes on shutdown.
export { answerProxyStatus } from "./platforms/shopify/status.server";
export { closeStorefrontReads } from "./storefront/read-connection.server";
