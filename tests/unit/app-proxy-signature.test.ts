import "@shopify/shopify-app-remix/adapters/node";
import { createHmac } from "node:crypto";
import { ApiVersion, LogSeverity } from "@shopify/shopify-api";
import type { Session } from "@shopify/shopify-api";
import { shopifyApp } from "@shopify/shopify-app-remix/server";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { appProxySignatureValid, verifyAppProxyRequest } from "../../app/platforms/shopify/app-proxy.server";
import { signedAppProxyQuery } from "../../scripts/storefront/app-proxy";

/**
 * Our app proxy signature check (app/platforms/shopify/app-proxy.server.ts, used by the fast path
 * for the widget's status and by authenticateShopper) against @shopify/shopify-app-remix's own
 * authenticate.public.appProxy, on the same URLs: both must accept and refuse the same requests,
 * signed ones, tampered ones, and the odd shapes (repeated, empty `index`, `hmac`, `_data`,
 * punctuation and non-ASCII names).
 */
const SECRET = "tierwise-test-secret";
const SHOP = "sig-check.myshopify.com";

// The library needs a session store; a store without sessions gives the context without Admin API
// access, which is all the signature check needs.
const noSessions = {
  storeSession: async () => true,
  loadSession: async (): Promise<Session | undefined> => undefined,
  deleteSession: async () => true,
  deleteSessions: async () => true,
  findSessionsByShop: async (): Promise<Session[]> => [],
};
const shopify = shopifyApp({
  apiKey: "tierwise-test-key",
  apiSecretKey: SECRET,
  apiVersion: ApiVersion.July26,
  appUrl: "https://tierwise.test",
  sessionStorage: noSessions,
  logger: { level: LogSeverity.Error },
});

async function libraryAccepts(url: string): Promise<boolean> {
  try {
    await shopify.authenticate.public.appProxy(new Request(url));
    return true;
  } catch (error) {
    if (error instanceof Response && error.status === 400) return false;
    throw error;
  }
}

const ours = (url: string) => appProxySignatureValid(new URL(url), SECRET);
const base = "https://tierwise.test/proxy/status";
const now = () => Math.floor(Date.now() / 1000);
const sign = (visitor: [string, string][], secret = SECRET) =>
  `${base}?${signedAppProxyQuery(new URLSearchParams(visitor), { shop: SHOP, loggedInCustomerId: "7001", timestamp: now() }, secret)}`;

/** A query signed as Shopify documents it, but over an arbitrary (raw) list of parameters. */
function signRaw(pairs: [string, string][], secret = SECRET, path = base) {
  const message = [...pairs].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`).join("");
  const query = new URLSearchParams(pairs);
  query.append("signature", createHmac("sha256", secret).update(message).digest("hex"));
  return `${path}?${query}`;
}

describe("app proxy signature", () => {
  it("accepts what Shopify signs and refuses tampering, like the Shopify library", async () => {
    const signed = sign([["customer", "7001"], ["locale", "pl"]]);
    const cases = [
      signed,
      signed.replace("locale=pl", "locale=cs"),
      `${signed}&extra=1`,
      signed.replace(/signature=[0-9a-f]+/, (s) => s.toUpperCase().replace("SIGNATURE", "signature")),
      signed.replace(/signature=[0-9a-f]+/, "signature=0"),
      sign([["customer", "7001"]], "another-secret"),
      // Not part of the signed string for the library: an unsigned `hmac` or empty `index`.
      `${signed}&hmac=abc`,
      `${signed}&index=`,
      `${signed}&index=1`,
    ];
    const expected = [true, false, false, false, false, false, true, true, false];
    for (const [i, url] of cases.entries()) {
      expect(await libraryAccepts(url), url).toBe(expected[i]);
      expect(ours(url), url).toBe(expected[i]);
    }
  });

  it("also accepts a query signed with the route's Remix _data parameter, like the library", async () => {
    const t = String(now());
    const shopifyParams: [string, string][] = [["shop", SHOP], ["logged_in_customer_id", ""], ["path_prefix", "/apps/tierwise"], ["timestamp", t]];
    const withData = signRaw([["_data", "routes/proxy.status"], ...shopifyParams]).replace(/_data=[^&]+&/, "");
    const withIndexData = signRaw([["_data", "routes/proxy.status._index"], ...shopifyParams]).replace(/_data=[^&]+&/, "");
    const otherRoute = signRaw([["_data", "routes/proxy.redeem"], ...shopifyParams]).replace(/_data=[^&]+&/, "");
    for (const [url, accepted] of [[withData, true], [withIndexData, true], [otherRoute, false]] as const) {
      expect(await libraryAccepts(url)).toBe(accepted);
      expect(ours(url)).toBe(accepted);
    }
  });

  it("agrees with the library on random parameter names and values, signed, re-signed or altered", async () => {
    const name = fc.oneof(
      fc.constantFrom("customer", "locale", "index", "hmac", "a", "A", "_x", "x-y", "x_y", "10", "2", "é", "ż", "Z", "__proto__"),
      fc.string({ minLength: 1, maxLength: 6 }),
    );
    const value = fc.oneof(fc.constantFrom("", "7001", "a b", "ä", "x,y", "&", "="), fc.string({ maxLength: 8 }));
    const outcomes = { accepted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(name, value), { maxLength: 6 }), fc.constantFrom("signed", "raw", "appended", "dropped"), async (pairs, how) => {
        const visitor = pairs.filter(([k]) => !["shop", "logged_in_customer_id", "timestamp", "path_prefix", "signature"].includes(k));
        let url: string;
        if (how === "signed") url = sign(visitor);
        else if (how === "raw") url = signRaw([["shop", SHOP], ["timestamp", String(now())], ...visitor]);
        else if (how === "appended") url = `${sign([])}&${new URLSearchParams(visitor)}`;
        else url = sign(visitor).replace(/&[^&=]*=[^&]*/, "");
        const accepted = await libraryAccepts(url);
        expect(ours(url), url).toBe(accepted);
        outcomes[accepted ? "accepted" : "refused"]++;
      }),
      { numRuns: 300 },
    );
    // Both answers were exercised, not only one.
    expect(outcomes.accepted).toBeGreaterThan(50);
    expect(outcomes.refused).toBeGreaterThan(50);
  });

  it("refuses with a reason before the signature: stale stamps, bad ids, another customer, repeated parameters", () => {
    const at = Date.now();
    const t = Math.floor(at / 1000);
    const url = (visitor: [string, string][], context: { customer?: string | null; timestamp?: number; shop?: string } = {}) =>
      new URL(`${base}?${signedAppProxyQuery(new URLSearchParams(visitor), { shop: context.shop ?? SHOP, loggedInCustomerId: context.customer === undefined ? "7001" : context.customer, timestamp: context.timestamp ?? t }, SECRET)}`);
    expect(verifyAppProxyRequest(url([["customer", "7001"]]), SECRET, at)).toEqual({ shopDomain: SHOP, customerId: "7001" });
    expect(verifyAppProxyRequest(url([["customer", ""]], { customer: null }), SECRET, at)).toEqual({ shopDomain: SHOP, customerId: null });
    expect(verifyAppProxyRequest(url([], { timestamp: t - 91 }), SECRET, at)).toEqual({ refused: "stale_timestamp" });
    expect(verifyAppProxyRequest(url([], { timestamp: t + 91 }), SECRET, at)).toEqual({ refused: "stale_timestamp" });
    expect(verifyAppProxyRequest(url([], { timestamp: t - 89 }), SECRET, at)).toEqual({ shopDomain: SHOP, customerId: "7001" });
    expect(verifyAppProxyRequest(url([["customer", "7002"]]), SECRET, at)).toEqual({ refused: "customer_mismatch" });
    expect(verifyAppProxyRequest(url([], { customer: "70x1" }), SECRET, at)).toEqual({ refused: "bad_customer" });
    expect(verifyAppProxyRequest(url([], { shop: "evil.example.com" }), SECRET, at)).toEqual({ refused: "bad_shop" });
    expect(verifyAppProxyRequest(url([["customer", "7001"], ["customer", "7001"]]), SECRET, at)).toEqual({ refused: "repeated_parameter" });
    const unsigned = url([]);
    unsigned.searchParams.delete("signature");
    expect(verifyAppProxyRequest(unsigned, SECRET, at)).toEqual({ refused: "missing_signature" });
    expect(verifyAppProxyRequest(url([]), "", at)).toEqual({ refused: "invalid_signature" });
  });
});
