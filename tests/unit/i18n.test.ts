import { describe, expect, it } from "vitest";
import { LOCALES, messages, pickLocale, translate } from "../../app/i18n/messages";

describe("translations", () => {
  it("have every English key in Polish and Czech, with the same placeholders", () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const locale of LOCALES) {
      expect(Object.keys(messages[locale]).sort()).toEqual(Object.keys(messages.en).sort());
      for (const key of Object.keys(messages.en) as (keyof typeof messages.en)[]) {
        expect(messages[locale][key].trim()).not.toBe("");
        expect(placeholders(messages[locale][key])).toEqual(placeholders(messages.en[key]));
      }
    }
  });

  it("picks the shop's language and falls back to English", () => {
    expect(pickLocale("pl-PL")).toBe("pl");
    expect(pickLocale("cs")).toBe("cs");
    expect(pickLocale("de-DE")).toBe("en");
    expect(pickLocale(null)).toBe("en");
    expect(translate("cs", "home.tierLine", { name: "Zlatá", threshold: 1000, multiplier: 1.5 })).toBe("Zlatá: od 1000 bodů, body ×1.5");
  });
});
