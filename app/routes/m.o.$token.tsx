import type { LoaderFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { recordOpen } from "../messages/log.server";
import { verifyToken } from "../messages/tokens.server";

// A transparent 1x1 GIF.
const PIXEL = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");

/** The open-tracking pixel of an email: records the first open, always answers the image. */
export async function loader({ params }: LoaderFunctionArgs) {
  const messageId = verifyToken("open", params.token ?? "");
  if (messageId) await recordOpen(db, messageId, new Date());
  return new Response(PIXEL, {
    headers: { "Content-Type": "image/gif", "Cache-Control": "no-store, private", "Content-Length": String(PIXEL.length) },
  });
}
