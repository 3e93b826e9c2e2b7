/** Strings of scheduled jobs and automated messages. Every key in every locale, same placeholders (checked by a unit test). */
const automations = {
  en: {},
  pl: {},
  cs: {},
} as const;

export default automations;
