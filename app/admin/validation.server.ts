import type { z } from "zod";
import { translate, type Locale, type MessageKey } from "../i18n/messages";

export type FieldErrors = Record<string, string>;
export type Parsed<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/**
 * Runs a zod schema whose issue messages are catalog keys (e.g. "admin.errors.required") and turns
 * the issues into translated messages per field path ("tiers.1.threshold").
 */
export function parseWith<S extends z.ZodTypeAny>(schema: S, input: unknown, locale: Locale): Parsed<z.output<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const path = issue.path.join(".") || "_form";
    if (errors[path]) continue;
    const [key, ...rest] = issue.message.split("|");
    const values = Object.fromEntries(rest.map((pair) => pair.split("=") as [string, string]));
    errors[path] = key.startsWith("admin.") ? translate(locale, key as MessageKey, values) : translate(locale, "admin.errors.invalid");
  }
  return { ok: false, errors };
}

/** A catalog key with values, for zod messages: msg("admin.errors.max", { max: 10 }). */
export function msg(key: MessageKey, values: Record<string, string | number> = {}): string {
  return [key, ...Object.entries(values).map(([k, v]) => `${k}=${v}`)].join("|");
}

export function formObject(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of form.entries()) if (typeof value === "string") out[key] = value;
  return out;
}
