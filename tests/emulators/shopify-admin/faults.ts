/**
 * Injected failures, one per request in the order they were added. They act like Shopify's edge:
 * before authentication and before any cost is charged.
 */

export type Fault =
  /** Answer with this HTTP status (500, 502, 503, 429...) and a JSON `{"errors": ...}` body. */
  | { kind: "status"; status: number; retryAfter?: number; body?: unknown }
  /** Answer 200 with the THROTTLED error whatever the bucket holds. */
  | { kind: "throttle" }
  /** Wait this long, then answer normally. */
  | { kind: "delay"; ms: number };

export type FaultRequest = Fault & { count?: number };

export class FaultQueue {
  private queue: Fault[] = [];

  add(fault: FaultRequest): void {
    const { count = 1, ...rest } = fault;
    for (let i = 0; i < count; i++) this.queue.push({ ...rest } as Fault);
  }

  /** Fail the next `count` requests with `status` (429 and 503 carry Retry-After when given). */
  failNext(status: number, options: { count?: number; retryAfter?: number; body?: unknown } = {}): void {
    this.add({ kind: "status", status, ...options });
  }

  throttleNext(count = 1): void {
    this.add({ kind: "throttle", count });
  }

  delayNext(ms: number, count = 1): void {
    this.add({ kind: "delay", ms, count });
  }

  /** The fault for the request now arriving, if any: each request consumes one. */
  take(): Fault | null {
    return this.queue.shift() ?? null;
  }

  pending(): readonly Fault[] {
    return [...this.queue];
  }

  clear(): void {
    this.queue = [];
  }
}
