import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { daysSinceBirthday, parseBirthday } from "../../app/loyalty/birthday.server";
import { addMonths, expiredPoints, nextExpiry, type UnspentCredit } from "../../app/loyalty/expiry";
import { variantFor } from "../../app/messages/templates.server";
import { fill, renderEmail } from "../../app/messages/render";

/** The pure rules behind the automations (no database). */
const credit = (id: string, iso: string, remaining: number): UnspentCredit => ({ id, occurredAt: new Date(iso), remaining, expiresAt: null });

describe("automation rules", () => {
  it("adds calendar months, clamping to the month's end", () => {
    expect(addMonths(new Date("2026-01-31T10:00:00Z"), 1).toISOString()).toBe("2026-02-28T10:00:00.000Z");
    expect(addMonths(new Date("2024-02-29T00:00:00Z"), 12).toISOString()).toBe("2025-02-28T00:00:00.000Z");
    expect(addMonths(new Date("2026-11-10T12:00:00Z"), -12).toISOString()).toBe("2025-11-10T12:00:00.000Z");
  });

  it("expires each credit when it is old enough, or everything after the inactivity period", () => {
    const credits = [credit("a", "2025-01-10T00:00:00Z", 40), credit("b", "2025-06-01T00:00:00Z", 100), credit("c", "2025-02-01T00:00:00Z", 0)];
    const age = { mode: "ENTRY_AGE" as const, months: 12 };
    expect(expiredPoints(age, credits, null, new Date("2026-01-09T00:00:00Z"))).toBeNull();
    expect(expiredPoints(age, credits, null, new Date("2026-01-10T00:00:00Z"))).toEqual({ points: 40, at: new Date("2026-01-10T00:00:00Z") });
    expect(nextExpiry(age, credits, null, new Date("2026-01-10T00:00:00Z"))).toEqual({ points: 100, at: new Date("2026-06-01T00:00:00Z") });
    const idle = { mode: "INACTIVITY" as const, months: 6 };
    expect(expiredPoints(idle, credits, new Date("2025-07-01T00:00:00Z"), new Date("2025-12-31T00:00:00Z"))).toBeNull();
    expect(expiredPoints(idle, credits, new Date("2025-07-01T00:00:00Z"), new Date("2026-01-01T00:00:00Z"))).toEqual({ points: 140, at: new Date("2026-01-01T00:00:00Z") });
    expect(expiredPoints({ mode: "NEVER", months: 1 }, credits, null, new Date("2030-01-01T00:00:00Z"))).toBeNull();
  });

  it("never expires more than is unspent, whatever the credits and the day", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ day: fc.integer({ min: 0, max: 900 }), remaining: fc.integer({ min: 0, max: 1000 }) }), { maxLength: 20 }),
        fc.integer({ min: 0, max: 1500 }),
        (rows, today) => {
          const base = Date.UTC(2025, 0, 1);
          const credits = rows.map((r, i) => ({ id: String(i), occurredAt: new Date(base + r.day * 86_400_000), remaining: r.remaining, expiresAt: null }));
          const due = expiredPoints({ mode: "ENTRY_AGE", months: 12 }, credits, null, new Date(base + today * 86_400_000));
          const unspent = credits.reduce((s, c) => s + c.remaining, 0);
          return due === null || (due.points > 0 && due.points <= unspent);
        },
      ),
    );
  });

  it("reads birthdays and counts days since this year's, with 29 February on the 28th in other years", () => {
    expect(parseBirthday("1990-05-20")).toEqual({ month: 5, day: 20 });
    expect(parseBirthday("--02-29")).toEqual({ month: 2, day: 29 });
    expect(parseBirthday("20/05/1990")).toBeNull();
    expect(daysSinceBirthday({ month: 5, day: 20 }, { year: 2026, month: 5, day: 20 })).toBe(0);
    expect(daysSinceBirthday({ month: 5, day: 20 }, { year: 2026, month: 5, day: 19 })).toBe(-1);
    expect(daysSinceBirthday({ month: 2, day: 29 }, { year: 2026, month: 2, day: 28 })).toBe(0);
    expect(daysSinceBirthday({ month: 2, day: 29 }, { year: 2028, month: 2, day: 28 })).toBe(-1);
  });

  it("splits members between variants by the share, the same way every time", () => {
    const members = Array.from({ length: 2000 }, (_, i) => `member-${i}`);
    const b = members.filter((m) => variantFor(m, "welcome", 30) === "B").length;
    expect(b).toBeGreaterThan(500);
    expect(b).toBeLessThan(700);
    expect(members.every((m) => variantFor(m, "welcome", 30) === variantFor(m, "welcome", 30))).toBe(true);
    expect(variantFor("x", "welcome", 0)).toBe("A");
    expect(variantFor("x", "welcome", 100)).toBe("B");
  });

  it("escapes member data in the HTML and leaves unknown placeholders visible", () => {
    expect(fill("{a} {b}", { a: 1 })).toBe("1 {b}");
    const email = renderEmail("en", { subject: "Hi {firstName}", body: "Hello {firstName}" }, { firstName: "<script>x</script>", shop: "s" }, { cta: "https://s/", unsubscribe: null, pixel: null });
    expect(email.html).not.toContain("<script>");
    expect(email.html).toContain("&lt;script&gt;");
    expect(email.text).toContain("Hello <script>x</script>");
  });
});
