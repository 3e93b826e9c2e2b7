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
    <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: 420, margin: "4rem auto", padding: "0 1rem", color: "#303030" }}>
      <h1 style={{ marginBottom: "0.25rem" }}>Tierwise</h1>
      <p style={{ marginTop: 0, color: "#616161" }}>{translate(locale, "login.heading")}</p>
      {showForm ? (
        <Form method="post" action="/auth/login" style={{ display: "grid", gap: "0.75rem" }}>
          <label style={{ display: "grid", gap: "0.25rem" }}>
            <span>{translate(locale, "login.shop")}</span>
            <input
              type="text"
              name="shop"
              required
              placeholder={translate(locale, "login.help")}
              style={{ padding: "0.5rem", border: "1px solid #8a8a8a", borderRadius: 8, font: "inherit" }}
            />
          </label>
          <button
            type="submit"
            style={{ justifySelf: "start", padding: "0.5rem 1rem", border: 0, borderRadius: 8, background: "#303030", color: "#fff", font: "inherit", cursor: "pointer" }}
          >
            {translate(locale, "login.submit")}
          </button>
        </Form>
      ) : null}
    </main>
  );
}
