// Money is integer minor units; amounts from platforms arrive as decimal strings ("12.50").
// Parsing is exact string arithmetic, never floating point.

const ZERO_DECIMAL = new Set(["BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"]);
const THREE_DECIMAL = new Set(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]);

export function currencyDecimals(currency: string): number {
  const code = currency.toUpperCase();
  if (ZERO_DECIMAL.has(code)) return 0;
  if (THREE_DECIMAL.has(code)) return 3;
  return 2;
}

/** No real order comes near this (a hundred billion dollars in cents); beyond it an amount is refused. */
export const MAX_AMOUNT_MINOR = 10 ** 13;

export class MoneyFormatError extends Error {
  constructor(value: unknown) {
    super(`not a money amount: ${JSON.stringify(value)}`);
  }
}

/** "12.5" in USD -> 1250. Extra precision beyond the currency's decimals is rounded half up. */
export function toMinor(amount: string | number, currency: string): number {
  const text = typeof amount === "number" ? String(amount) : amount.trim();
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new MoneyFormatError(amount);
  const [, sign, whole, fraction = ""] = match;
  const decimals = currencyDecimals(currency);
  const kept = fraction.slice(0, decimals).padEnd(decimals, "0");
  let minor = Number(whole) * 10 ** decimals + Number(kept || "0");
  if (fraction.length > decimals && Number(fraction[decimals]) >= 5) minor += 1;
  if (!Number.isSafeInteger(minor) || minor > MAX_AMOUNT_MINOR) throw new MoneyFormatError(amount);
  return sign && minor !== 0 ? -minor : minor;
}

export function formatMinor(minor: number, currency: string): string {
  const decimals = currencyDecimals(currency);
  const sign = minor < 0 ? "-" : "";
  const abs = Math.abs(minor);
  if (decimals === 0) return `${sign}${abs}`;
  const unit = 10 ** decimals;
  return `${sign}${Math.floor(abs / unit)}.${String(abs % unit).padStart(decimals, "0")}`;
}
