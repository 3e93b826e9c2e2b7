import { pickLocale, type Locale } from "../i18n/messages";

const COOKIE = "tierwise_locale";

/**
 * The admin's language. Shopify opens the embedded app with ?locale=<staff language> on every
 * document load; later client navigations drop the parameter, so it is kept in a cookie.
 */
export function adminLocale(request: Request): { locale: Locale; setCookie: string | null } {
  const url = new URL(request.url);
  const asked = url.searchParams.get("locale");
  if (asked) {
    const locale = pickLocale(asked);
    const secure = url.protocol === "https:" ? "; SameSite=None; Secure" : "; SameSite=Lax";
    return { locale, setCookie: `${COOKIE}=${locale}; Path=/app; Max-Age=31536000; HttpOnly${secure}` };
  }
  const cookie = request.headers.get("cookie") ?? "";
  const match = new RegExp(`(?:^|;\\s*)${COOKIE}=([a-z]{2})`).exec(cookie);
  return { locale: pickLocale(match?.[1]), setCookie: null };
}

/** The language an action answers in: the form's hidden _locale field, else as above. */
export function actionLocale(request: Request, form: FormData | null): Locale {
  const field = form?.get("_locale");
  return typeof field === "string" && field ? pickLocale(field) : adminLocale(request).locale;
}
