import { randomInt } from "node:crypto";

// No 0/O, 1/I/L, 5/S, 2/Z, 8/B: a code read aloud or copied from a receipt is typed right.
export const CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679";
const GROUPS = 3;
const GROUP_LENGTH = 4;

/**
 * An unguessable reward code such as "TW-K7PX-3QMD-A9VT": 12 symbols from a 25-letter alphabet
 * (about 55 bits from the system CSPRNG), with the shop's prefix. Uniqueness per shop is enforced
 * by the database; the caller draws again on a collision.
 */
export function newRewardCode(prefix: string): string {
  const groups: string[] = [];
  for (let g = 0; g < GROUPS; g++) {
    let group = "";
    for (let i = 0; i < GROUP_LENGTH; i++) group += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
    groups.push(group);
  }
  const cleanPrefix = prefix.toUpperCase().replace(/[^A-Z0-9]/g, "").slice(0, 8);
  return [cleanPrefix, ...groups].filter(Boolean).join("-");
}

/** Codes compare the way platforms do: case-insensitively, ignoring surrounding spaces. */
export function normalizeCode(code: string): string {
  return code.trim().toUpperCase();
}
