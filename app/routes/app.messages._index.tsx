import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useLoaderData, useSubmit } from "@remix-run/react";
import db from "../db.server";
import { pickLocale } from "../i18n/messages";
import { messagesOverview, saveEmailSettings, saveTriggerSetting } from "../messages/admin.server";
import { MessagesOverviewView } from "../messages/ui/messages-overview";
import { authenticate } from "../shopify.server";

async function shopFor(request: Request) {
  const { session } = await authenticate.admin(request);
  return db.shop.findUniqueOrThrow({ where: { domain: session.shop } });
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const shop = await shopFor(request);
  const locale = pickLocale(new URL(request.url).searchParams.get("locale") ?? shop.locale);
  return json({ locale, data: await messagesOverview(db, shop.id) });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const shop = await shopFor(request);
  const form = await request.formData();
  const intent = form.get("intent");
  const result = intent === "email" ? await saveEmailSettings(db, shop.id, form) : await saveTriggerSetting(db, shop.id, form);
  if (!result.ok) return json({ errors: { ...result.errors, trigger: String(form.get("trigger") ?? "") } }, { status: 422 });
  return json({ errors: {} });
};

export default function Messages() {
  const { locale, data } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const submit = useSubmit();
  return (
    <MessagesOverviewView
      key={JSON.stringify(data)}
      locale={locale}
      data={data}
      errors={result?.errors}
      editUrl={(trigger) => `/app/messages/${trigger}`}
      submit={(form) => submit(form, { method: "post" })}
    />
  );
}
