import { describe, expect, it } from "vitest";
import { fifoReach } from "../../app/loyalty/expiry-pass.server";

/** Which credits' rows the expiry pass reads: those a FIFO debit can reach, as the covering index tells. */

const credit = (n: number, at: string, remaining: number, expiresAt: string | null = null) => ({
  id: String(n),
  occurredAt: new Date(at),
  occurredAtText: at,
  remaining,
  expiresAt: expiresAt ? new Date(expiresAt) : null,
});

describe("the credits a FIFO debit reaches", () => {
  const credits = [
    credit(0, "2025-03-01T00:00:00.000+00:00", 50),
    credit(1, "2025-01-01T00:00:00.000+00:00", 100),
    credit(2, "2025-02-01T00:00:00.000+00:00", 30),
    credit(3, "2025-02-01T00:00:00.000+00:00", 20),
  ];

  it("end at the instant where the points run out, with every credit of that instant", () => {
    expect(fifoReach(credits, 100)).toBe("2025-01-01T00:00:00.000+00:00");
    expect(fifoReach(credits, 101)).toBe("2025-02-01T00:00:00.000+00:00");
    expect(fifoReach(credits, 150)).toBe("2025-02-01T00:00:00.000+00:00");
    expect(fifoReach(credits, 200)).toBe("2025-03-01T00:00:00.000+00:00");
  });

  it("are none when nothing is taken", () => {
    expect(fifoReach(credits, 0)).toBe("");
  });

  it("are all of them when the credits do not cover the points", () => {
    expect(fifoReach(credits, 201)).toBeNull();
  });

  it("are all of them when younger credits of one instant fall due at different times (their ids order them)", () => {
    const tied = [...credits, credit(4, "2025-03-01T00:00:00.000+00:00", 5, "2025-06-01T00:00:00.000+00:00")];
    expect(fifoReach(tied, 100)).toBeNull();
    // Once the debit reaches that instant, its rows are read anyway.
    expect(fifoReach(tied, 201)).toBe("2025-03-01T00:00:00.000+00:00");
  });
});
