/** Strings of the storefront widget API (app proxy answers). Every key in every locale, same placeholders (checked by a unit test). */
const storefront = {
  en: {
    "status.unavailable": "The rewards program is not available in this store right now.",
  },
  pl: {
    "status.unavailable": "Program nagród nie jest teraz dostępny w tym sklepie.",
  },
  cs: {
    "status.unavailable": "Věrnostní program teď v tomto obchodě není k dispozici.",
  },
} as const;

export default storefront;
