import { basePoints, scaleRounded, withMultiplier } from "./earning";
import { windowStart } from "./period";
import type { EarnBasis, LadderStep, TierBasis, TierPeriod } from "./types";

/**
 * A member's history replayed in time order: the points each order earns (with the multiplier of
 * the tier held when it was placed), what its refunds and cancellation reverse, and the tier held
 * now. It is a pure function of the facts, so deliveries that arrive late, twice or out of order
 * converge on what one in-order delivery would give. See docs/decisions/003-idempotency.md.
 */

export interface TimelineOrder {
  id: string;
  processedAt: Date;
  basis: EarnBasis;
  eligibleMinor: number;
  refunds: { refundId: string; at: Date; refundedEligibleMinor: number }[];
  cancelledAt: Date | null;
}

/** A qualifying credit or debit that is not an order's (welcome, birthday, staff adjustment). */
export interface TimelineCredit {
  id: string;
  at: Date;
  points: number;
}

export interface TierRules {
  ladder: LadderStep[];
  basis: TierBasis;
  period: TierPeriod;
  timezone: string;
}

/** The tier fixed by the last period-end evaluation; upgrades count from `at` on. */
export interface TierBaseline {
  tierId: string | null;
  at: Date | null;
}

export interface OrderOutcome {
  earned: number;
  reversed: number;
  multiplierTierId: string | null;
}

export interface TimelineResult {
  orders: Map<string, OrderOutcome>;
  tierId: string | null;
  /** Points (or spend) counted toward tiers in the current window, as of the last event. */
  qualifyingAmount: number;
}

/** Highest step whose threshold the amount reaches; ladder order does not matter. */
export function stepFor(amount: number, ladder: LadderStep[]): LadderStep | null {
  let best: LadderStep | null = null;
  for (const step of ladder) {
    if (amount >= step.threshold && (!best || step.threshold > best.threshold)) best = step;
  }
  return best;
}

function higher(a: LadderStep | null, b: LadderStep | null): LadderStep | null {
  if (!a) return b;
  if (!b) return a;
  return b.threshold > a.threshold ? b : a;
}

/** The first index of sorted `times` at or after `time` (times.length when none is). */
/**
 * An order's cumulative reversal after a refund of `refundedEligibleMinor` more eligible money, or
 * after its cancellation (null): what is reversed and refunded in all, or null when the order has
 * nothing left to reverse. Cumulative, so the sum of partial reversals never drifts from the whole.
 */
export function reversalAfter(
  outcome: { earned: number; reversed: number; refunded: number },
  eligibleMinor: number,
  refundedEligibleMinor: number | null,
): { reversed: number; refunded: number } | null {
  if (outcome.reversed >= outcome.earned && outcome.refunded >= eligibleMinor) return null;
  if (refundedEligibleMinor === null) return { reversed: outcome.earned, refunded: eligibleMinor };
  const refunded = Math.min(eligibleMinor, outcome.refunded + refundedEligibleMinor);
  const reversed = eligibleMinor === 0 ? 0 : scaleRounded(outcome.earned, refunded, eligibleMinor, "DOWN");
  return { reversed: Math.max(reversed, outcome.reversed), refunded };
}

export function firstIndexAtOrAfter(times: number[], time: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface Contribution {
  at: number;
  points: number;
  spend: number;
}

/** Qualifying amounts after each contribution, under one set of tier rules, kept incrementally. */
class QualifyingTrack {
  private prefix: number[] = [0];
  private times: number[] = [];
  private peak = Number.NEGATIVE_INFINITY;
  private last = 0;

  constructor(
    private readonly rules: Pick<TierRules, "basis" | "period" | "timezone">,
    private readonly baselineAt: number,
  ) {}

  add(c: Contribution) {
    const value = this.rules.basis === "POINTS" ? c.points : c.spend;
    this.times.push(c.at);
    this.prefix.push(this.prefix[this.prefix.length - 1] + value);
    const start = windowStart(new Date(c.at), this.rules.period, this.rules.timezone);
    const from = start ? this.firstIndexAtOrAfter(start.getTime()) : 0;
    const amount = this.prefix[this.prefix.length - 1] - this.prefix[from];
    this.last = amount;
    if (c.at >= this.baselineAt) this.peak = Math.max(this.peak, amount);
  }

  private firstIndexAtOrAfter(time: number): number {
    return firstIndexAtOrAfter(this.times, time);
  }

  /** The highest amount reached since the baseline (0 before anything counted). */
  peakAmount(): number {
    return Math.max(0, this.peak);
  }

  lastAmount(): number {
    return this.last;
  }
}

type TimelineEvent =
  | { kind: 0; at: number; id: string; credit: TimelineCredit }
  | { kind: 1; at: number; id: string; order: TimelineOrder }
  | { kind: 2; at: number; id: string; order: TimelineOrder; refundedEligibleMinor: number }
  | { kind: 3; at: number; id: string; order: TimelineOrder };

function rulesKey(r: Pick<TierRules, "basis" | "period" | "timezone">): string {
  return `${r.basis}|${r.period}|${r.timezone}`;
}

export function memberTimeline(input: {
  orders: TimelineOrder[];
  credits: TimelineCredit[];
  current: TierRules;
  baseline: TierBaseline;
  /**
   * The member's earlier baselines, each replaced by a later period-end evaluation (any order;
   * those at or after `baseline.at` are ignored). An order placed before `baseline.at` is priced
   * with the one in force when it was placed, so a period end never re-prices earlier orders.
   */
  earlier?: TierBaseline[];
}): TimelineResult {
  const events: TimelineEvent[] = [];
  for (const credit of input.credits) events.push({ kind: 0, at: credit.at.getTime(), id: credit.id, credit });
  for (const order of input.orders) {
    const placed = order.processedAt.getTime();
    events.push({ kind: 1, at: placed, id: order.id, order });
    for (const refund of order.refunds) {
      const at = Math.max(placed, refund.at.getTime());
      events.push({ kind: 2, at, id: `${order.id}/${refund.refundId}`, order, refundedEligibleMinor: refund.refundedEligibleMinor });
    }
    if (order.cancelledAt) {
      events.push({ kind: 3, at: Math.max(placed, order.cancelledAt.getTime()), id: order.id, order });
    }
  }
  events.sort((a, b) => a.at - b.at || a.kind - b.kind || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const baselineAt = input.baseline.at ? input.baseline.at.getTime() : Number.NEGATIVE_INFINITY;
  const earlier = (input.earlier ?? [])
    .filter((b): b is { tierId: string | null; at: Date } => b.at !== null && b.at.getTime() < baselineAt)
    .map((b) => ({ tierId: b.tierId, at: b.at.getTime() }))
    .sort((a, b) => a.at - b.at);
  const earlierTimes = earlier.map((b) => b.at);
  /** The earlier baseline in force at `at` (the latest set at or before it), if any. */
  const earlierAt = (at: number) => {
    const i = firstIndexAtOrAfter(earlierTimes, at + 1) - 1;
    return i >= 0 ? earlier[i] : null;
  };
  const tracks = new Map<string, QualifyingTrack>();
  const contributions: Contribution[] = [];
  const trackFor = (rules: Pick<TierRules, "basis" | "period" | "timezone">, since = baselineAt) => {
    const key = `${rulesKey(rules)}|${since}`;
    let track = tracks.get(key);
    if (!track) {
      track = new QualifyingTrack(rules, since);
      for (const c of contributions) track.add(c);
      tracks.set(key, track);
    }
    return track;
  };
  const contribute = (c: Contribution) => {
    contributions.push(c);
    for (const track of tracks.values()) track.add(c);
  };
  const stepOf = (ladder: LadderStep[], tierId: string | null) => ladder.find((step) => step.tierId === tierId) ?? null;
  const baselineStep = (ladder: LadderStep[]) => stepOf(ladder, input.baseline.tierId);

  const outcomes = new Map<string, OrderOutcome & { refunded: number }>();
  for (const event of events) {
    if (event.kind === 0) {
      contribute({ at: event.at, points: event.credit.points, spend: 0 });
      continue;
    }
    const { order } = event;
    const basis = order.basis;
    if (event.kind === 1) {
      // An order placed before the baseline was set earned with the tier held then (issue 8: the
      // period-end evaluation sets baselines; it must not rewrite earlier orders): the earlier
      // baseline in force when it was placed and what was reached since, or, before any known
      // baseline, what history alone reached.
      // (With no baseline at all, baselineAt is -Infinity and the current one prices from history alone.)
      const rules = { basis: basis.tierBasis, period: basis.tierPeriod, timezone: basis.timezone };
      const inForce = event.at >= baselineAt ? { tierId: input.baseline.tierId, at: baselineAt } : earlierAt(event.at);
      const since = inForce ? inForce.at : Number.NEGATIVE_INFINITY;
      const held = higher(inForce ? stepOf(basis.ladder, inForce.tierId) : null, stepFor(trackFor(rules, since).peakAmount(), basis.ladder));
      const base = basePoints(order.eligibleMinor, basis);
      const earned = withMultiplier(base, held?.multiplierPercent ?? 100, basis.rounding);
      outcomes.set(order.id, { earned, reversed: 0, refunded: 0, multiplierTierId: held?.tierId ?? null });
      contribute({ at: event.at, points: earned, spend: order.eligibleMinor });
      continue;
    }
    const outcome = outcomes.get(order.id);
    const next = outcome && reversalAfter(outcome, order.eligibleMinor, event.kind === 2 ? event.refundedEligibleMinor : null);
    if (!outcome || !next) continue;
    contribute({ at: event.at, points: -(next.reversed - outcome.reversed), spend: -(next.refunded - outcome.refunded) });
    outcome.reversed = next.reversed;
    outcome.refunded = next.refunded;
  }

  const currentTrack = trackFor(input.current);
  const held = higher(
    higher(baselineStep(input.current.ladder), stepFor(0, input.current.ladder)),
    stepFor(currentTrack.peakAmount(), input.current.ladder),
  );
  const orders = new Map<string, OrderOutcome>();
  for (const [id, o] of outcomes) orders.set(id, { earned: o.earned, reversed: o.reversed, multiplierTierId: o.multiplierTierId });
  return { orders, tierId: held?.tierId ?? null, qualifyingAmount: currentTrack.lastAmount() };
}
