import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Emulator, type EmulatorOptions } from "./emulator";
import { handleRequest, UNAUTHORIZED_BODY } from "./http-server";
import type { NewCustomer, NewProduct } from "./state";
import { seedOrder, type NewOrder } from "./resolvers-bulk";

/**
 * An emulator of the parts of Shopify's Admin GraphQL API that Tierwise uses, served over real
 * HTTP on 127.0.0.1. See README.md in this folder for what it covers and how to point the client
 * at it.
 */

export { manualClock, type BucketConfig, type ThrottleStatus } from "./bucket";
export { DEFAULT_API_VERSIONS, DEFAULT_SHOP, Emulator, type EmulatorOptions, type RecordedRequest } from "./emulator";
export type { Fault, FaultQueue, FaultRequest } from "./faults";
export { THROTTLED_DOCUMENTATION } from "./graphql-endpoint";
export { redirectingFetch, redirectShopifyAdminApi } from "./redirect";
export { METAFIELDS_SET_LIMIT } from "./resolvers";
export { flowTriggersReceived, FLOW_PAYLOAD_LIMIT_BYTES } from "./resolvers-flow";
export type { ShopConfig, ShopState } from "./state";
export { UNAUTHORIZED_BODY };

export interface ShopifyAdminEmulatorOptions extends EmulatorOptions {
  /** Port to listen on; default 0 (a free one). The host is always 127.0.0.1. */
  port?: number;
}

export type ShopifyAdminEmulator = Awaited<ReturnType<typeof createShopifyAdminEmulator>>;

export async function createShopifyAdminEmulator(options: ShopifyAdminEmulatorOptions = {}) {
  const core = new Emulator(options);
  const server = createServer((req, res) => {
    handleRequest(core, req, res).catch((error: unknown) => {
      // An emulator bug, not a Shopify behaviour: make it loud in the test output.
      console.error("shopify-admin emulator:", error);
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ errors: "Emulator error", detail: String(error) }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    /** http://127.0.0.1:<port>; GraphQL at `${url}/admin/api/2026-07/graphql.json`. */
    url: `http://127.0.0.1:${port}`,
    core,
    /** Shops by domain, with their customers, discounts, metafields, products and segments. */
    get state() {
      return core.shops;
    },
    faults: core.faults,
    requests: core.requests,
    shop: (domain?: string) => core.shop(domain),
    addCustomer: (input: NewCustomer = {}, domain?: string) => core.addCustomer(input, domain),
    addProduct: (input: NewProduct, domain?: string) => core.addProduct(input, domain),
    addSegment: (input: { name: string; query: string }, domain?: string) => core.addSegment(input, domain),
    addOrder: (input: NewOrder, domain?: string) => seedOrder(core.shop(domain), core.ids, core.clock(), input),
    useCode: (code: string, domain?: string) => core.useCode(code, domain),
    snapshot: (domain?: string) => core.snapshot(domain),
    /** The bucket of the shop's configured app (token); `.set(n)` drains or fills it. */
    bucket: (domain?: string) => core.bucketFor(core.shop(domain)),
    reset: () => core.reset(),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
