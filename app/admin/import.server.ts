import { createHash } from "node:crypto";
import { z } from "zod";
import type { Db } from "../db.server";
import { translate, type Locale } from "../i18n/messages";
import { appendEntry } from "../loyalty/ledger.server";
import { reconcileMember } from "../loyalty/reconcile.server";
import { loadShopContext } from "../loyalty/shop-context.server";
import { writeTransaction } from "../loyalty/transaction.server";
import { IMPORT_CHUNK, MAX_IMPORT_ROWS, type ImportRow, type RowError } from "./constants";
import { parseCsv } from "./csv";


/**
 * Column names of common loyalty exports, Smile.io's first ("email", "points"; tiers by name),
 * and our own export (customer_id, email, first_name, last_name, points, vip_tier).
 */
const ALIASES: Record<string, string[]> = {
  email: ["email", "email address", "customer email", "customer_email"],
  points: ["points", "points balance", "points_balance", "balance", "point balance"],
  customerId: ["customer_id", "customer id", "shopify customer id", "shopify_customer_id", "external_id"],
  firstName: ["first_name", "first name", "firstname"],
  lastName: ["last_name", "last name", "lastname"],
  tier: ["vip_tier", "vip tier", "tier", "vip tier name"],
};


const rowSchema = z.object({
  email: z.string().trim().toLowerCase().max(254).pipe(z.union([z.literal(""), z.string().email()])),
  points: z.string().trim().regex(/^-?\d{1,9}$/),
  customerId: z.string().trim().max(64).regex(/^(|\d{1,20}|gid:\/\/shopify\/Customer\/\d{1,20})$/),
});

/** Reads and checks the whole file without writing anything: valid rows, and an error per bad row. */
export async function previewImport(db: Db, shopId: string, text: string, locale: Locale) {
  const t = (key: Parameters<typeof translate>[1], values?: Record<string, string | number>) => translate(locale, key, values);
  const table = parseCsv(text);
  if (table.length < 2) return { ok: false as const, error: t("admin.import.errors.empty") };
  if (table.length - 1 > MAX_IMPORT_ROWS) return { ok: false as const, error: t("admin.import.errors.tooManyRows", { max: MAX_IMPORT_ROWS }) };
  const header = table[0].map((h) => h.trim().toLowerCase());
  const column = (field: string) => header.findIndex((h) => ALIASES[field].includes(h));
  const cols = Object.fromEntries(Object.keys(ALIASES).map((f) => [f, column(f)]));
  if (cols.points < 0 || (cols.email < 0 && cols.customerId < 0)) return { ok: false as const, error: t("admin.import.errors.columns") };
  const tiers = await db.tier.findMany({ where: { shopId }, select: { name: true } });
  const tierNames = new Map(tiers.map((x) => [x.name.toLowerCase(), x.name]));
  const rows: ImportRow[] = [];
  const errors: RowError[] = [];
  const seen = new Set<string>();
  table.slice(1).forEach((cells, i) => {
    const row = i + 2; // the spreadsheet's row number (header is row 1)
    const cell = (field: string) => (cols[field] >= 0 ? (cells[cols[field]] ?? "").trim() : "");
    const parsed = rowSchema.safeParse({ email: cell("email"), points: cell("points"), customerId: cell("customerId") });
    if (!parsed.success) {
      const field = String(parsed.error.issues[0].path[0]);
      errors.push({ row, message: t(field === "points" ? "admin.import.errors.points" : field === "email" ? "admin.import.errors.email" : "admin.import.errors.customerId") });
      return;
    }
    const { email, customerId } = parsed.data;
    if (!email && !customerId) return void errors.push({ row, message: t("admin.import.errors.noIdentity") });
    const key = customerId || email;
    if (seen.has(key)) return void errors.push({ row, message: t("admin.import.errors.duplicate") });
    seen.add(key);
    const tierText = cell("tier");
    if (tierText && !tierNames.has(tierText.toLowerCase())) return void errors.push({ row, message: t("admin.import.errors.tier", { tier: tierText }) });
    rows.push({
      row,
      email: email || null,
      customerId: customerId ? customerId.split("/").pop()! : null,
      firstName: cell("firstName") || null,
      lastName: cell("lastName") || null,
      points: Number(parsed.data.points),
      tier: tierText ? tierNames.get(tierText.toLowerCase())! : null,
    });
  });
  // Rows named by email only must match a member; those with a customer id may create one.
  const byEmail = rows.filter((r) => !r.customerId).map((r) => r.email!);
  const known = new Set<string>();
  for (let i = 0; i < byEmail.length; i += 500) {
    const found = await db.member.findMany({ where: { shopId, redactedAt: null, email: { in: byEmail.slice(i, i + 500) } }, select: { email: true } });
    for (const m of found) known.add(m.email!);
  }
  const ready = rows.filter((r) => {
    if (r.customerId || known.has(r.email!)) return true;
    errors.push({ row: r.row, message: t("admin.import.errors.unknownEmail") });
    return false;
  });
  errors.sort((a, b) => a.row - b.row);
  const importId = createHash("sha256").update(text).digest("hex").slice(0, 24);
  return { ok: true as const, importId, rows: ready, errors, total: table.length - 1 };
}

export const chunkSchema = z.object({
  importId: z.string().regex(/^[a-f0-9]{24}$/),
  mode: z.enum(["add", "set"]),
  rows: z
    .array(
      z.object({
        row: z.number().int().min(2).max(MAX_IMPORT_ROWS + 1),
        email: z.string().email().max(254).nullable(),
        customerId: z.string().regex(/^\d{1,20}$/).nullable(),
        firstName: z.string().max(100).nullable(),
        lastName: z.string().max(100).nullable(),
        points: z.number().int().min(-1e9).max(1e9),
        tier: z.string().max(40).nullable(),
      }),
    )
    .max(IMPORT_CHUNK),
});

/**
 * Imports rows, each in its own transaction, through the ledger with a key per import and row:
 * the same file sent again changes nothing, and a row that fails leaves no trace of itself.
 */
export async function importRows(db: Db, shopDomain: string, staff: string, input: z.infer<typeof chunkSchema>, locale: Locale, now = new Date()) {
  const results: { row: number; status: "imported" | "unchanged" | "already" | "error"; message?: string }[] = [];
  for (const r of input.rows) {
    try {
      const status = await writeTransaction(db, async (tx) => {
        const ctx = await loadShopContext(tx, shopDomain);
        if (!ctx) throw new Error("shop not installed");
        const key = `import:${shopDomain}:${input.importId}:${r.row}`;
        if (await tx.ledgerEntry.findUnique({ where: { idempotencyKey: key } })) return "already" as const;
        let member = r.customerId
          ? await tx.member.findUnique({ where: { shopId_platformCustomerId: { shopId: ctx.shop.id, platformCustomerId: r.customerId } } })
          : await tx.member.findFirst({ where: { shopId: ctx.shop.id, email: r.email!, redactedAt: null }, orderBy: { createdAt: "asc" } });
        if (member?.redactedAt) throw new RowFailure(translate(locale, "admin.import.errors.redacted"));
        if (!member) {
          if (!r.customerId) throw new RowFailure(translate(locale, "admin.import.errors.unknownEmail"));
          member = await tx.member.create({
            data: { shopId: ctx.shop.id, platformCustomerId: r.customerId, email: r.email, firstName: r.firstName, lastName: r.lastName, enrolledAt: now },
          });
        }
        const delta = input.mode === "set" ? r.points - member.balance : r.points;
        if (input.mode === "set" && r.points < 0) throw new RowFailure(translate(locale, "admin.import.errors.points"));
        let changed = false;
        if (delta !== 0) {
          await appendEntry(tx, member, ctx.program.negativeBalancePolicy, {
            kind: "IMPORT",
            points: delta,
            // Imported balances are spendable, not history: they do not count toward tiers.
            qualifying: false,
            reason: input.mode === "set" ? `Imported balance (row ${r.row})` : `Imported points (row ${r.row})`,
            sourceType: "import",
            sourceId: input.importId,
            createdBy: staff,
            idempotencyKey: key,
            occurredAt: now,
          });
          changed = true;
        }
        if (r.tier) {
          const tier = ctx.tiers.find((x) => x.name === r.tier);
          const current = ctx.tiers.find((x) => x.id === member!.tierId);
          // Like Smile's tier import: members only move up; the imported tier holds for a year.
          if (tier && (!current || tier.threshold > current.threshold)) {
            const endsAt = new Date(now.getTime() + 365 * 86_400_000);
            const data = { tierId: tier.id, endsAt, reason: `Imported tier (row ${r.row})`, createdBy: staff };
            await tx.tierOverride.upsert({ where: { memberId: member.id }, create: { shopId: ctx.shop.id, memberId: member.id, ...data }, update: data });
            await reconcileMember(tx, ctx, member, now);
            changed = true;
          }
        }
        return changed ? ("imported" as const) : ("unchanged" as const);
      });
      results.push({ row: r.row, status });
    } catch (error) {
      if (!(error instanceof RowFailure)) console.error(`import row ${r.row} of ${shopDomain} failed`, error);
      results.push({ row: r.row, status: "error", message: error instanceof RowFailure ? error.message : translate(locale, "admin.import.errors.unexpected") });
    }
  }
  return results;
}

class RowFailure extends Error {}
