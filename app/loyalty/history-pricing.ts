import { basePoints, withMultiplier } from "./earning";
import { windowStart } from "./period";
import { firstIndexAtOrAfter, reversalAfter, stepFor, type TimelineCredit, type TimelineOrder } from "./timeline";
import type { TierBasis, TierPeriod } from "./types";

/**
 * What memberTimeline (timeline.ts) gives each order when every order is priced from history
 * alone: the case of all orders placed before the member's tier baseline, which is where a
 * period-end evaluation puts them (the new baseline is the period end). The period-end pass uses
 * it to tell, without reconciling, whether moving the baseline would change any order's points.
 *
 * The same replay as memberTimeline's for that case: events in the same order, the same rounding,
 * refunds and cancellations reversed the same way. Only the window starts differ in how they are
 * found: calendar years come from a table per time zone instead of formatting every instant in
 * the zone (Intl.DateTimeFormat costs ~0.1 ms per instant; a shop's members have millions).
 * tests/unit/history-pricing.test.ts checks the outcomes against memberTimeline's.
 */

export interface PricedOrder {
  earned: number;
  reversed: number;
}

type Event =
  | { kind: 0; at: number; id: string; credit: TimelineCredit }
  | { kind: 1; at: number; id: string; order: TimelineOrder }
  | { kind: 2; at: number; id: string; order: TimelineOrder; refundedEligibleMinor: number }
  | { kind: 3; at: number; id: string; order: TimelineOrder };

interface TrackRules {
  basis: TierBasis;
  period: TierPeriod;
  timezone: string;
}

/** windowStart(at, period, timezone) in milliseconds (calendar years come from period.ts's table of exact year starts). */
export function windowStartAt(at: number, period: TierPeriod, timezone: string): number | null {
  return windowStart(new Date(at), period, timezone)?.getTime() ?? null;
}

/** Windowed qualifying amounts after each contribution and their peak (QualifyingTrack from -infinity). */
class Track {
  private prefix: number[] = [0];
  private times: number[] = [];
  private peak = Number.NEGATIVE_INFINITY;

  constructor(private readonly rules: TrackRules) {}

  add(at: number, points: number, spend: number) {
    const value = this.rules.basis === "POINTS" ? points : spend;
    this.times.push(at);
    this.prefix.push(this.prefix[this.prefix.length - 1] + value);
    const start = windowStartAt(at, this.rules.period, this.rules.timezone);
    const from = start === null ? 0 : this.firstIndexAtOrAfter(start);
    this.peak = Math.max(this.peak, this.prefix[this.prefix.length - 1] - this.prefix[from]);
  }

  private firstIndexAtOrAfter(time: number): number {
    return firstIndexAtOrAfter(this.times, time);
  }

  peakAmount(): number {
    return Math.max(0, this.peak);
  }
}

export function priceFromHistory(orders: TimelineOrder[], credits: TimelineCredit[]): Map<string, PricedOrder> {
  const events: Event[] = [];
  for (const credit of credits) events.push({ kind: 0, at: credit.at.getTime(), id: credit.id, credit });
  for (const order of orders) {
    const placed = order.processedAt.getTime();
    events.push({ kind: 1, at: placed, id: order.id, order });
    for (const refund of order.refunds) {
      events.push({ kind: 2, at: Math.max(placed, refund.at.getTime()), id: `${order.id}/${refund.refundId}`, order, refundedEligibleMinor: refund.refundedEligibleMinor });
    }
    if (order.cancelledAt) events.push({ kind: 3, at: Math.max(placed, order.cancelledAt.getTime()), id: order.id, order });
  }
  events.sort((a, b) => a.at - b.at || a.kind - b.kind || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  // One track per set of rules met so far; a track made later replays what came before it.
  const tracks = new Map<string, Track>();
  const contributions: { at: number; points: number; spend: number }[] = [];
  const trackFor = (rules: TrackRules) => {
    const key = `${rules.basis}|${rules.period}|${rules.timezone}`;
    let track = tracks.get(key);
    if (!track) {
      track = new Track(rules);
      for (const c of contributions) track.add(c.at, c.points, c.spend);
      tracks.set(key, track);
    }
    return track;
  };
  const contribute = (at: number, points: number, spend: number) => {
    contributions.push({ at, points, spend });
    for (const track of tracks.values()) track.add(at, points, spend);
  };

  const outcomes = new Map<string, PricedOrder & { refunded: number }>();
  for (const event of events) {
    if (event.kind === 0) {
      contribute(event.at, event.credit.points, 0);
      continue;
    }
    const { order } = event;
    const basis = order.basis;
    if (event.kind === 1) {
      const track = trackFor({ basis: basis.tierBasis, period: basis.tierPeriod, timezone: basis.timezone });
      const held = stepFor(track.peakAmount(), basis.ladder);
      const earned = withMultiplier(basePoints(order.eligibleMinor, basis), held?.multiplierPercent ?? 100, basis.rounding);
      outcomes.set(order.id, { earned, reversed: 0, refunded: 0 });
      contribute(event.at, earned, order.eligibleMinor);
      continue;
    }
    const outcome = outcomes.get(order.id);
    const next = outcome && reversalAfter(outcome, order.eligibleMinor, event.kind === 2 ? event.refundedEligibleMinor : null);
    if (!outcome || !next) continue;
    contribute(event.at, -(next.reversed - outcome.reversed), -(next.refunded - outcome.refunded));
    outcome.reversed = next.reversed;
    outcome.refunded = next.refunded;
  }
  return new Map([...outcomes].map(([id, o]) => [id, { earned: o.earned, reversed: o.reversed }]));
}

/**
 * The highest windowed amount (0 at least) that points credited at these times reach under the
 * rules: QualifyingTrack's peak over contributions that are all non-negative, where neither
 * their grouping at one instant nor their order within it can change the peak.
 */
export function peakOfCredits(credits: { at: number; points: number }[], rules: { period: TierPeriod; timezone: string }): number {
  const track = new Track({ basis: "POINTS", period: rules.period, timezone: rules.timezone });
  for (const c of [...credits].sort((a, b) => a.at - b.at)) track.add(c.at, c.points, 0);
  return track.peakAmount();
}
