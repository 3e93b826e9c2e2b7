/** Admin and shopper-facing strings. Every key exists in every locale (checked by a unit test). */
export const messages = {
  en: {
    "redeem.issued": "Your code is ready.",
    "redeem.pending": "Your code is being created. It will appear here in a moment.",
    "redeem.unknown_member": "Sign in to your account to use your points.",
    "redeem.reward_unavailable": "This reward is no longer available.",
    "redeem.invalid_points": "Choose an amount of points this reward allows.",
    "redeem.tier_required": "This reward is for members of a higher tier.",
    "redeem.insufficient_points": "You don't have enough points for this reward yet.",
    "redeem.request_conflict": "This request was already used. Please try again.",
    "redeem.failed": "We couldn't create your code, so your points have been returned.",
    "redeem.invalid_request": "The request was not understood.",
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
    "redeem.issued": "Twój kod jest gotowy.",
    "redeem.pending": "Tworzymy Twój kod. Za chwilę pojawi się tutaj.",
    "redeem.unknown_member": "Zaloguj się na swoje konto, aby użyć punktów.",
    "redeem.reward_unavailable": "Ta nagroda nie jest już dostępna.",
    "redeem.invalid_points": "Wybierz liczbę punktów dozwoloną dla tej nagrody.",
    "redeem.tier_required": "Ta nagroda jest dla członków wyższego poziomu.",
    "redeem.insufficient_points": "Nie masz jeszcze wystarczającej liczby punktów na tę nagrodę.",
    "redeem.request_conflict": "To żądanie zostało już użyte. Spróbuj ponownie.",
    "redeem.failed": "Nie udało się utworzyć kodu, więc Twoje punkty zostały zwrócone.",
    "redeem.invalid_request": "Nie rozumiemy tego żądania.",
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
    "redeem.issued": "Váš kód je připraven.",
    "redeem.pending": "Váš kód se vytváří. Za okamžik se tu objeví.",
    "redeem.unknown_member": "Přihlaste se ke svému účtu, abyste mohli použít body.",
    "redeem.reward_unavailable": "Tato odměna už není k dispozici.",
    "redeem.invalid_points": "Zvolte počet bodů, který tato odměna umožňuje.",
    "redeem.tier_required": "Tato odměna je pro členy vyšší úrovně.",
    "redeem.insufficient_points": "Na tuto odměnu zatím nemáte dost bodů.",
    "redeem.request_conflict": "Tento požadavek už byl použit. Zkuste to prosím znovu.",
    "redeem.failed": "Kód se nepodařilo vytvořit, proto jsme vám body vrátili.",
    "redeem.invalid_request": "Požadavku jsme neporozuměli.",
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
