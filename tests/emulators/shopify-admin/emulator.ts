import type { GraphQLSchema } from "graphql";
import { LeakyBucket, type BucketConfig } from "./bucket";
import { FaultQueue } from "./faults";
import { snapshotShop } from "./resolvers";
import { buildAdminSchema } from "./schema";
import {
  findDiscountByCode,
  IdSource,
  newShopState,
  seedCustomer,
  seedProduct,
  seedSegment,
  type Clock,
  type NewCustomer,
  type NewProduct,
  type ShopConfig,
  type ShopState,
} from "./state";

/** The emulator without its HTTP server: shops, buckets, faults and the request log. */

export const DEFAULT_SHOP: ShopConfig = { domain: "tierwise-test.myshopify.com", accessToken: "shpat_tierwise_test_token" };
/** Stable versions served; 2026-07 is what Tierwise pins (ApiVersion.July26). */
export const DEFAULT_API_VERSIONS = ["2025-07", "2025-10", "2026-01", "2026-04", "2026-07"];

export interface EmulatorOptions {
  /** Shops and the access token of each. Default: one shop, DEFAULT_SHOP. */
  shops?: ShopConfig[];
  /** Milliseconds since the epoch; inject `manualClock().now` for exact bucket refills. Default Date.now. */
  clock?: Clock;
  bucket?: BucketConfig;
  apiVersions?: string[];
}

export interface RecordedRequest {
  at: number;
  shop: string;
  apiVersion: string;
  raw: string;
  query?: string;
  operationName?: string;
  variables?: unknown;
  status?: number;
  fault?: string;
  response?: unknown;
}

export class Emulator {
  readonly schema: GraphQLSchema = buildAdminSchema();
  readonly clock: Clock;
  readonly apiVersions: readonly string[];
  readonly faults = new FaultQueue();
  readonly requests: RecordedRequest[] = [];
  ids = new IdSource();
  shops = new Map<string, ShopState>();
  private buckets = new Map<string, LeakyBucket>();

  constructor(private readonly options: EmulatorOptions = {}) {
    this.clock = options.clock ?? Date.now;
    this.apiVersions = options.apiVersions ?? DEFAULT_API_VERSIONS;
    this.reset();
  }

  /** Empties every store, the bucket levels, pending faults and the request log. */
  reset(): void {
    this.ids = new IdSource();
    this.shops = new Map((this.options.shops ?? [DEFAULT_SHOP]).map((config) => [config.domain.toLowerCase(), newShopState(config)]));
    this.buckets.clear();
    this.faults.clear();
    this.requests.length = 0;
  }

  shop(domain?: string): ShopState {
    const shop = domain ? this.shops.get(domain.toLowerCase()) : this.shops.values().next().value;
    if (!shop) throw new Error(`No shop ${domain} in the emulator`);
    return shop;
  }

  /** The leaky bucket of one app (access token) on one shop. */
  bucketFor(shop: ShopState, accessToken: string = shop.config.accessToken): LeakyBucket {
    const key = `${shop.config.domain}|${accessToken}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new LeakyBucket(this.clock, this.options.bucket);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  log(entry: Omit<RecordedRequest, "at">): RecordedRequest {
    const record = { at: this.clock(), ...entry };
    this.requests.push(record);
    return record;
  }

  addCustomer(input: NewCustomer, domain?: string) {
    return { ...seedCustomer(this.shop(domain), this.ids, this.clock(), input) };
  }

  addProduct(input: NewProduct, domain?: string) {
    return seedProduct(this.shop(domain), this.ids, input);
  }

  addSegment(input: { name: string; query: string }, domain?: string) {
    return seedSegment(this.shop(domain), this.ids, input);
  }

  /** A checkout redeemed `code` once (what an order with that code does to asyncUsageCount). */
  useCode(code: string, domain?: string): boolean {
    const discount = findDiscountByCode(this.shop(domain), code);
    const redeem = discount?.codes.find((c) => c.code.toLowerCase() === code.trim().toLowerCase());
    if (!redeem) return false;
    redeem.asyncUsageCount += 1;
    return true;
  }

  snapshot(domain?: string) {
    return snapshotShop(this.shop(domain), this.clock());
  }
}
