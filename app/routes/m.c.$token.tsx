import type { LoaderFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { recordClick } from "../messages/log.server";
import { verifyToken } from "../messages/tokens.server";

/**
 * The click redirect of an email's links: the target is part of the signature, so this is not an
 * open redirect; records the first click and sends the shopper on.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const target = new URL(request.url).searchParams.get("to") ?? "";
  const messageId = verifyToken("click", params.token ?? "", target);
  if (!messageId || !/^https:\/\//.test(target)) return new Response("Invalid link", { status: 400 });
  await recordClick(db, messageId, new Date());
  return new Response(null, { status: 302, headers: { Location: target, "Cache-Control": "no-store" } });
}
