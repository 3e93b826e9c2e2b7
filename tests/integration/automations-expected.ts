/**
 * What Ola's year (automations-support.ts setupYear) must produce with the scheduler ticking
 * weekly (Thursdays 00:30 UTC from 1 Jan 2026): dates are the first tick after each is due.
 */
export const EXPECTED_YEAR = {
  // 600 of the 10 Nov 2025 order's 1,000 points were still unspent 12 months later (the 500-point
  // redemption took the 100 welcome points and 400 of them, oldest first).
  expiries: [{ points: -600, at: "2026-11-12T00:30:00.000Z" }],
  // 20 May in Warsaw; the first tick after it.
  birthdays: [{ points: 200, at: "2026-05-21T00:30:00.000Z" }],
  // 2026 qualified 300 points: below Gold's retain bar (800), above Silver's (250).
  downgrades: [{ reason: "period_end", at: "2027-01-07T00:30:00.000Z" }],
  balance: 1100 + 300 - 500 + 200 - 600,
  tier: "Silver",
};

/** Each trigger's messages to Ola, by the day they were queued. */
export const EXPECTED_MESSAGES: Record<string, string[]> = {
  welcome: ["2025-11-01"],
  tier_unlocked: ["2025-11-01", "2025-11-10"],
  points_earned: ["2025-11-10", "2026-03-05"],
  // First tick: 1,100 lifetime points; 61 days without a redemption; 52 days without activity.
  milestone: ["2026-01-01"],
  spend_points: ["2026-01-01", "2026-04-16"],
  // Inactive since 10 Nov 2025, then since the 10 Mar 2026 redemption; then the lost Gold tier.
  we_miss_you: ["2026-01-01", "2026-04-30", "2027-02-25"],
  // Redeemed on 10 Mar; the redemption job created the code on the next tick, and thanked her.
  thanks_for_redeeming: ["2026-03-12"],
  // 900 points after redeeming, within 10% of the 1,000-point reward.
  so_close: ["2026-03-12"],
  happy_birthday: ["2026-05-21"],
  points_expiring: ["2026-10-29", "2027-02-25"],
  tier_lost: ["2027-01-07"],
};

export function byTrigger(messages: { trigger: string; queuedAt: string }[]) {
  const result: Record<string, string[]> = {};
  for (const m of messages) (result[m.trigger] ??= []).push(m.queuedAt);
  return result;
}
