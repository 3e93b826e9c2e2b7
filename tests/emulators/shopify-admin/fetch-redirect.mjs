// Plain JavaScript so a Node process that runs no TypeScript (the built app, a demo store) can
// load it with `node --import`; redirect.ts re-exports it for tests.

const SHOPIFY_HOST = /\.myshopify\.com$/i;

/**
 * A fetch that sends `https://<shop>.myshopify.com/...` to the emulator at `target`, keeping the
 * path, query, method, headers and body, and passing the shop in `X-Forwarded-Host` (as a
 * reverse proxy would). Every other URL goes to `base` untouched.
 *
 * @param {string} target the emulator's origin, e.g. http://127.0.0.1:41234
 * @param {typeof fetch} [base]
 * @returns {typeof fetch}
 */
export function redirectingFetch(target, base = globalThis.fetch) {
  const emulator = new URL(target);
  return async (input, init) => {
    const original = new URL(input instanceof Request ? input.url : String(input));
    if (!SHOPIFY_HOST.test(original.hostname)) return base(input, init);
    const url = new URL(original.pathname + original.search, emulator);
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    headers.set("X-Forwarded-Host", original.host);
    if (input instanceof Request) {
      return base(url, { method: input.method, body: await input.arrayBuffer(), ...init, headers });
    }
    return base(url, { ...init, headers });
  };
}
