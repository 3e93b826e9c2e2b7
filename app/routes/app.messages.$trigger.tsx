import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useLoaderData, useSubmit } from "@remix-run/react";
import db from "../db.server";
import { pickLocale } from "../i18n/messages";
import { isTrigger } from "../loyalty/notifications.server";
import { saveTemplate, triggerTemplates } from "../messages/admin.server";
import { TemplateEditorView } from "../messages/ui/template-editor";
import { authenticate } from "../shopify.server";

async function context(request: Request, trigger: string | undefined) {
  const { session } = await authenticate.admin(request);
  if (!trigger || !isTrigger(trigger)) throw new Response("Not found", { status: 404 });
  const shop = await db.shop.findUniqueOrThrow({ where: { domain: session.shop } });
  return { shop, trigger };
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop, trigger } = await context(request, params.trigger);
  const locale = pickLocale(new URL(request.url).searchParams.get("locale") ?? shop.locale);
  return json({ locale, trigger, templates: await triggerTemplates(db, shop.id, trigger) });
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop, trigger } = await context(request, params.trigger);
  const form = await request.formData();
  form.set("trigger", trigger);
  const result = await saveTemplate(db, shop.id, form);
  return result.ok ? json({ saved: true, errors: {} }) : json({ saved: false, errors: result.errors }, { status: 422 });
};

export default function MessageTemplate() {
  const { locale, trigger, templates } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const submit = useSubmit();
  return (
    <TemplateEditorView
      locale={locale}
      trigger={trigger}
      templates={templates}
      errors={result?.errors}
      saved={result?.saved}
      backUrl="/app/messages"
      submit={(form) => submit(form, { method: "post" })}
    />
  );
}
