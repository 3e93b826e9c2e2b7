// Text helpers of the storefront widget. The strings themselves come from the page (the theme
// extension's locales, rendered by Liquid), so the script carries no dictionary.

export type Strings = Record<string, string>;

/** "{tier}: from {points}" with the values filled in; unknown placeholders stay visible. */
export function fill(template: string | undefined, values: Record<string, string | number>): string {
  return (template ?? "").replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

export function formatter(locale: string, strings: Strings) {
  const numbers = new Intl.NumberFormat(locale);
  const plural = new Intl.PluralRules(locale);
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: "medium" });
  return {
    /** "120 points", "2 punkty", "5 bodů": the locale's plural category picks the string. */
    points: (n: number) => fill(strings[`points_${plural.select(n)}`] ?? strings.points_other, { n: numbers.format(n) }),
    /** $700 for whole amounts, $700.50 otherwise. */
    money: (minor: number, currency: string, decimals: number) => {
      const unit = 10 ** decimals;
      const digits = minor % unit === 0 ? 0 : decimals;
      return new Intl.NumberFormat(locale, { style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(minor / unit);
    },
    date: (iso: string) => dates.format(new Date(iso)),
    number: (n: number) => numbers.format(n),
  };
}
