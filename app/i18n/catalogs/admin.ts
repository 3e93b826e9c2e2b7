/** Strings of the embedded admin (app/routes/app.*). Every key in every locale, same placeholders (checked by a unit test). */
const admin = {
  en: {},
  pl: {},
  cs: {},
} as const;

export default admin;
