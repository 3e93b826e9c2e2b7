/** Strings of the storefront widget API (app proxy answers). Every key in every locale, same placeholders (checked by a unit test). */
const storefront = {
  en: {},
  pl: {},
  cs: {},
} as const;

export default storefront;
