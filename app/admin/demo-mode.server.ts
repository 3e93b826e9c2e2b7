/**
 * The local demo admin: the embedded pages opened in a plain browser, without Shopify, on the demo
 * shop's offline session. It is a development convenience and must never be reachable on a real
 * deployment, so every condition below has to hold, checked on every request:
 * - TIERWISE_DEMO_ADMIN=1,
 * - NODE_ENV is not "production" (the production server refuses it whatever else is set),
 * - the server listens on loopback only (HOST 127.0.0.1 / ::1 / localhost),
 * - the request itself comes from a loopback address.
 */
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "::1", "localhost"]);
const LOOPBACK_PEERS = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

export interface DemoEnvironment {
  TIERWISE_DEMO_ADMIN?: string;
  NODE_ENV?: string;
  HOST?: string;
  TIERWISE_DEMO_SHOP?: string;
}

export const DEFAULT_DEMO_SHOP = "tierwise-demo.myshopify.com";

export function demoAdminAllowed(env: DemoEnvironment, remoteAddress: string | undefined): boolean {
  if (env.TIERWISE_DEMO_ADMIN !== "1") return false;
  if (!env.NODE_ENV || env.NODE_ENV === "production") return false;
  if (!LOOPBACK_HOSTS.has(env.HOST ?? "127.0.0.1")) return false;
  return remoteAddress !== undefined && LOOPBACK_PEERS.has(remoteAddress);
}

