/** Strings of the WooCommerce connection. Every key in every locale, same placeholders (checked by a unit test). */
const woocommerce = {
  en: {},
  pl: {},
  cs: {},
} as const;

export default woocommerce;
