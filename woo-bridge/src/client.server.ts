import WooCommerceRestApiModule from "@woocommerce/woocommerce-rest-api";

// The package is CommonJS compiled from ES modules: under Node's ESM loader the class is on `.default`.
const WooCommerceRestApi =
  (WooCommerceRestApiModule as unknown as { default?: typeof WooCommerceRestApiModule }).default ?? WooCommerceRestApiModule;

/**
 * Every call to a WooCommerce store goes through here: @woocommerce/woocommerce-rest-api (wc/v3;
 * Basic auth over HTTPS, OAuth 1.0a over plain HTTP), with retries on 5xx, 429 and network
 * failures or timeouts (exponential backoff), and WooCommerce's error body {code, message,
 * data: {status}} turned into a WooApiError that callers can tell apart.
 */
export interface StoreCredentials {
  url: string;
  consumerKey: string;
  consumerSecret: string;
}

export interface ClientOptions {
  maxAttempts?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** For HTTPS stores: a custom agent (e.g. a private CA); the default trusts the system's CAs. */
  httpsAgent?: import("node:https").Agent;
}

export type WooErrorKind = "auth" | "not_found" | "invalid" | "transient" | "unreachable";

export class WooApiError extends Error {
  constructor(
    readonly kind: WooErrorKind,
    readonly status: number | null,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface WooResponse<T> {
  data: T;
  headers: Record<string, string>;
  status: number;
}

export interface WooClient {
  get<T>(path: string, params?: Record<string, unknown>): Promise<WooResponse<T>>;
  post<T>(path: string, data: unknown, params?: Record<string, unknown>): Promise<WooResponse<T>>;
  put<T>(path: string, data: unknown, params?: Record<string, unknown>): Promise<WooResponse<T>>;
  delete<T>(path: string, params?: Record<string, unknown>): Promise<WooResponse<T>>;
  /** Every page of a list endpoint (per_page 100), following X-WP-TotalPages. */
  getAll<T>(path: string, params?: Record<string, unknown>): Promise<T[]>;
}

interface AxiosLikeError {
  code?: string;
  message?: string;
  response?: { status: number; data?: unknown; headers?: Record<string, string> };
}

function toApiError(error: unknown): WooApiError {
  const e = error as AxiosLikeError;
  const status = e.response?.status ?? null;
  if (status === null) return new WooApiError("unreachable", null, e.code ?? "network_error", e.message ?? String(error));
  const body = (e.response?.data ?? {}) as { code?: unknown; message?: unknown };
  const code = typeof body.code === "string" ? body.code : `http_${status}`;
  const message = typeof body.message === "string" ? body.message : `HTTP ${status}`;
  if (status === 401 || status === 403) return new WooApiError("auth", status, code, message);
  if (status === 404) return new WooApiError("not_found", status, code, message);
  if (status === 429 || status >= 500) return new WooApiError("transient", status, code, message);
  return new WooApiError("invalid", status, code, message);
}

const retryable = (error: WooApiError) => error.kind === "transient" || error.kind === "unreachable";

export function wooClient(credentials: StoreCredentials, options: ClientOptions = {}): WooClient {
  const maxAttempts = options.maxAttempts ?? 4;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const api = new WooCommerceRestApi({
    url: credentials.url,
    consumerKey: credentials.consumerKey,
    consumerSecret: credentials.consumerSecret,
    version: "wc/v3",
    timeout: options.timeoutMs ?? 20_000,
    ...(options.httpsAgent ? { axiosConfig: { httpsAgent: options.httpsAgent } } : {}),
  });

  async function call<T>(run: () => Promise<{ data: unknown; headers: unknown; status: number }>): Promise<WooResponse<T>> {
    let last: WooApiError | null = null;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      try {
        const response = await run();
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries((response.headers ?? {}) as Record<string, unknown>)) headers[name.toLowerCase()] = String(value);
        return { data: response.data as T, headers, status: response.status };
      } catch (error) {
        last = toApiError(error);
        if (!retryable(last) || attempt === maxAttempts) throw last;
        await sleep(Math.min(8_000, 200 * 2 ** (attempt - 1)));
      }
    }
    throw last ?? new WooApiError("unreachable", null, "no_attempt", "no request was made");
  }

  const client: WooClient = {
    get: (path, params = {}) => call(() => api.get(path, params)),
    post: (path, data, params = {}) => call(() => api.post(path, data, params)),
    put: (path, data, params = {}) => call(() => api.put(path, data, params)),
    delete: (path, params = {}) => call(() => api.delete(path, params)),
    async getAll<T>(path: string, params: Record<string, unknown> = {}) {
      const items: T[] = [];
      for (let page = 1; ; page++) {
        const response = await client.get<T[]>(path, { ...params, per_page: 100, page });
        if (!Array.isArray(response.data)) throw new WooApiError("invalid", response.status, "not_a_list", `${path} did not return a list`);
        items.push(...response.data);
        const totalPages = Number(response.headers["x-wp-totalpages"] ?? 1);
        if (page >= totalPages || response.data.length === 0 || page >= 10_000) break;
      }
      return items;
    },
  };
  return client;
}
