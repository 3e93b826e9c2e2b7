import type { Clock } from "./state";

/**
 * The GraphQL Admin API's leaky bucket, one per app and store: `maximumAvailable` points that
 * refill continuously at `restoreRate` points a second. A request is refused (THROTTLED) when its
 * requested cost exceeds what is available; otherwise the requested cost is taken up front and
 * the difference to the actual cost is given back after execution.
 */

export interface BucketConfig {
  /** Bucket size. Default 2000 (Standard plan; shopify.dev's captured responses show 2000/100). */
  maximumAvailable?: number;
  /** Points restored per second. Default 100 (Standard plan). */
  restoreRate?: number;
}

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export class LeakyBucket {
  readonly maximumAvailable: number;
  readonly restoreRate: number;
  private available: number;
  private updatedAt: number;

  constructor(private readonly clock: Clock, config: BucketConfig = {}) {
    this.maximumAvailable = config.maximumAvailable ?? 2000;
    this.restoreRate = config.restoreRate ?? 100;
    this.available = this.maximumAvailable;
    this.updatedAt = clock();
  }

  private refill(): void {
    const now = this.clock();
    const elapsed = Math.max(0, now - this.updatedAt) / 1000;
    this.available = Math.min(this.maximumAvailable, this.available + elapsed * this.restoreRate);
    this.updatedAt = now;
  }

  /** Takes `cost` points if they are there; false (and nothing taken) otherwise. */
  take(cost: number): boolean {
    this.refill();
    if (cost > this.available) return false;
    this.available -= cost;
    return true;
  }

  refund(points: number): void {
    this.refill();
    this.available = Math.min(this.maximumAvailable, this.available + points);
  }

  /** Sets what is available now (a test draining the bucket, the demo showing a throttled store). */
  set(currentlyAvailable: number): void {
    this.refill();
    this.available = Math.max(0, Math.min(this.maximumAvailable, currentlyAvailable));
  }

  status(): ThrottleStatus {
    this.refill();
    return {
      maximumAvailable: this.maximumAvailable,
      // Shopify reports whole points.
      currentlyAvailable: Math.floor(this.available),
      restoreRate: this.restoreRate,
    };
  }
}

/** A clock tests move by hand, so bucket refills and discount statuses are exact. */
export function manualClock(start: Date | number = Date.UTC(2026, 6, 1, 12, 0, 0)) {
  let now = typeof start === "number" ? start : start.getTime();
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
    set(at: Date | number) {
      now = typeof at === "number" ? at : at.getTime();
    },
  };
}
