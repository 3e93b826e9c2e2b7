import admin from "./catalogs/admin";
import automations from "./catalogs/automations";
import core from "./catalogs/core";
import storefront from "./catalogs/storefront";
import woocommerce from "./catalogs/woocommerce";

/**
 * Admin and shopper-facing strings, one catalog per area (app/i18n/catalogs). Every key exists in
 * every locale (checked by a unit test).
 */
export const messages = {
  en: { ...core.en, ...admin.en, ...storefront.en, ...automations.en, ...woocommerce.en },
  pl: { ...core.pl, ...admin.pl, ...storefront.pl, ...automations.pl, ...woocommerce.pl },
  cs: { ...core.cs, ...admin.cs, ...storefront.cs, ...automations.cs, ...woocommerce.cs },
};

export type Locale = keyof typeof messages;
export type MessageKey = keyof (typeof messages)["en"];
export const LOCALES = Object.keys(messages) as Locale[];

/** "pl-PL" -> "pl"; anything we do not speak -> English. */
export function pickLocale(requested: string | null | undefined): Locale {
  const base = (requested ?? "").toLowerCase().split(/[-_]/)[0];
  return (LOCALES as string[]).includes(base) ? (base as Locale) : "en";
}

export function translate(locale: Locale, key: MessageKey, values: Record<string, string | number> = {}): string {
  const template: string = messages[locale][key] ?? messages.en[key];
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
}
