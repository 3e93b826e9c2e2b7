import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import db from "../db.server";
import { pickLocale, translate } from "../i18n/messages";
import { unsubscribeMember } from "../messages/log.server";
import { shopName } from "../messages/send.server";
import { verifyToken } from "../messages/tokens.server";

async function memberFor(token: string) {
  const memberId = verifyToken("unsubscribe", token);
  if (!memberId) return null;
  return db.member.findUnique({ where: { id: memberId }, include: { shop: true } });
}

/** The unsubscribe page of an email's link: asks to confirm (mail scanners follow links with GET). */
export async function loader({ params }: LoaderFunctionArgs) {
  const member = await memberFor(params.token ?? "");
  if (!member) {
    return json({ locale: "en" as const, valid: false, shop: "", email: "", done: false }, { status: 404 });
  }
  const optedOut = await db.messageOptOut.findUnique({ where: { memberId: member.id } });
  return json({ locale: pickLocale(member.shop.locale), valid: true, shop: shopName(member.shop.domain), email: member.email ?? "", done: Boolean(optedOut) });
}

/** The confirmation, and RFC 8058 one-click unsubscribe (POST List-Unsubscribe=One-Click). */
export async function action({ params }: ActionFunctionArgs) {
  const member = await memberFor(params.token ?? "");
  if (!member) return json({ done: false }, { status: 404 });
  await unsubscribeMember(db, member.id);
  return json({ done: true });
}

export default function Unsubscribe() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const locale = data.locale;
  const done = data.done || result?.done;
  return (
    <main lang={locale} style={{ maxWidth: 480, margin: "64px auto", padding: 24, fontFamily: "Helvetica, Arial, sans-serif", color: "#1f2937" }}>
      <h1 style={{ fontSize: 24 }}>{translate(locale, "unsubscribe.title")}</h1>
      {!data.valid ? (
        <p>{translate(locale, "unsubscribe.invalid")}</p>
      ) : done ? (
        <p role="status">{translate(locale, "unsubscribe.done", { shop: data.shop })}</p>
      ) : (
        <Form method="post">
          <p>{translate(locale, "unsubscribe.question", { shop: data.shop, email: data.email })}</p>
          <button type="submit" style={{ background: "#111827", color: "#fff", border: 0, borderRadius: 6, padding: "12px 20px", fontSize: 16 }}>
            {translate(locale, "unsubscribe.confirm")}
          </button>
        </Form>
      )}
    </main>
  );
}
