/** Values shared by admin pages (client) and their server modules. */
export const SEGMENTS = ["all", "active", "lapsed", "never", "withPoints", "debt"] as const;
export const SORTS = ["balance_desc", "balance_asc", "lastOrder_desc", "lastOrder_asc", "name_asc", "enrolled_desc"] as const;
export const MAX_TIERS = 10;
export const REWARD_KINDS = ["FIXED_AMOUNT", "PERCENTAGE", "FREE_SHIPPING", "FREE_PRODUCT", "VARIABLE_AMOUNT"] as const;
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 50_000;
export const IMPORT_CHUNK = 250;

export interface TierRow {
  id: string;
  name: string;
  threshold: string;
  retainThreshold: string;
  multiplier: string;
  perks: string;
  entryRewardId: string;
}

export interface ImportRow {
  row: number;
  email: string | null;
  customerId: string | null;
  firstName: string | null;
  lastName: string | null;
  points: number;
  tier: string | null;
}

export interface RowError {
  row: number;
  message: string;
}
