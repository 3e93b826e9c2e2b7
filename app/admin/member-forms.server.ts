import { z } from "zod";
import { msg } from "./validation.server";

/** The member page's forms: a manual adjustment and a tier override. */
export const adjustmentSchema = z.object({
  points: z.string().trim().min(1, msg("admin.errors.required")).regex(/^[-+]?\d{1,7}$/, msg("admin.errors.wholeNumber")).transform(Number).refine((n) => n !== 0, msg("admin.members.errors.nonZero")),
  reason: z.string().trim().min(3, msg("admin.errors.minLength", { min: 3 })).max(200, msg("admin.errors.maxLength", { max: 200 })),
  _requestId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/, msg("admin.errors.invalid")),
});

export const overrideSchema = z.object({
  tierId: z.string().max(40).default(""),
  endsAt: z.string().trim().default(""),
  reason: z.string().trim().default(""),
});

export const ledgerPageSchema = z.coerce.number().int().min(1).max(100_000).catch(1);
