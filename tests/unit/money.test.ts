import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatMinor, MoneyFormatError, toMinor } from "../../app/loyalty/money";

describe("money in minor units", () => {
  it("parses platform amount strings exactly", () => {
    expect(toMinor("12.50", "USD")).toBe(1250);
    expect(toMinor("0.10", "EUR")).toBe(10);
    expect(toMinor("1999", "JPY")).toBe(1999);
    expect(toMinor("1.234", "KWD")).toBe(1234);
    expect(toMinor("-5.00", "PLN")).toBe(-500);
    expect(toMinor("19.999", "USD")).toBe(2000);
  });

  it("rejects what is not an amount", () => {
    for (const bad of ["", "1,00", "abc", "1e5", "NaN", " - 1"]) expect(() => toMinor(bad, "USD")).toThrow(MoneyFormatError);
  });

  it("refuses amounts no order comes near, instead of losing precision", () => {
    expect(toMinor("100000000000.00", "USD")).toBe(10 ** 13);
    expect(() => toMinor("100000000000.01", "USD")).toThrow(MoneyFormatError);
    expect(() => toMinor("90071992547409930", "JPY")).toThrow(MoneyFormatError);
    expect(() => toMinor("-100000000000.01", "USD")).toThrow(MoneyFormatError);
  });

  it("round-trips every amount through its text", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.constantFrom("USD", "JPY", "KWD", "CZK"), (minor, currency) => {
        expect(toMinor(formatMinor(minor, currency), currency)).toBe(minor);
      }),
    );
  });
});
