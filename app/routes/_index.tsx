import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { login } from "../shopify.server";
import { pickLocale, translate } from "../i18n/messages";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  const locale = pickLocale(request.headers.get("accept-language"));
  return { showForm: Boolean(login), locale };
};

export default function Landing() {
  const { showForm, locale } = useLoaderData<typeof loader>();
  return (
    <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: 480, margin: "4rem auto", padding: "0 1rem" }}>
      <h1>Tierwise</h1>
      {showForm ? (
        <Form method="post" action="/auth/login">
          <label>
            <span>{translate(locale, "login.shop")}</span>
            <input type="text" name="shop" placeholder={translate(locale, "login.help")} style={{ display: "block", width: "100%" }} />
          </label>
          <button type="submit">{translate(locale, "login.submit")}</button>
        </Form>
      ) : null}
    </main>
  );
}
