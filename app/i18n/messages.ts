/** Admin and shopper-facing strings. Every key exists in every locale (checked by a unit test). */
export const messages = {
  en: {
    "app.title": "Tierwise",
    "home.heading": "Your loyalty program",
    "home.members": "Members",
    "home.pointsOutstanding": "Points outstanding",
    "home.tiers": "Tiers",
    "home.tierLine": "{name}: from {threshold} points, {multiplier}× points",
    "home.notInstalled": "Tierwise is not set up for this store yet. Reinstall the app to create your program.",
    "home.earning": "Customers earn {points} points for every {amount} spent.",
    "login.heading": "Log in",
    "login.shop": "Shop domain",
    "login.help": "example.myshopify.com",
    "login.submit": "Log in",
  },
  pl: {
    "app.title": "Tierwise",
    "home.heading": "Twój program lojalnościowy",
    "home.members": "Członkowie",
    "home.pointsOutstanding": "Niewykorzystane punkty",
    "home.tiers": "Poziomy",
    "home.tierLine": "{name}: od {threshold} punktów, punkty ×{multiplier}",
    "home.notInstalled": "Tierwise nie jest jeszcze skonfigurowany w tym sklepie. Zainstaluj aplikację ponownie, aby utworzyć program.",
    "home.earning": "Klienci otrzymują {points} pkt za każde wydane {amount}.",
    "login.heading": "Zaloguj się",
    "login.shop": "Domena sklepu",
    "login.help": "przyklad.myshopify.com",
    "login.submit": "Zaloguj się",
  },
  cs: {
    "app.title": "Tierwise",
    "home.heading": "Váš věrnostní program",
    "home.members": "Členové",
    "home.pointsOutstanding": "Nevyužité body",
    "home.tiers": "Úrovně",
    "home.tierLine": "{name}: od {threshold} bodů, body ×{multiplier}",
    "home.notInstalled": "Tierwise v tomto obchodě ještě není nastaven. Nainstalujte aplikaci znovu a program se vytvoří.",
    "home.earning": "Zákazníci získají {points} b. za každých utracených {amount}.",
    "login.heading": "Přihlásit se",
    "login.shop": "Doména obchodu",
    "login.help": "priklad.myshopify.com",
    "login.submit": "Přihlásit se",
  },
} as const;

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
