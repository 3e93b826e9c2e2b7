import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin, requireShop } from "../admin/auth.server";
import { ledgerCsv, membersCsv } from "../admin/export.server";
import db from "../db.server";

/** GET /app/export/members and /app/export/ledger: CSV downloads. */
export const loader = async ({ request, context, params }: LoaderFunctionArgs) => {
  const shop = await requireShop(await requireAdmin(request, context));
  if (params.kind !== "members" && params.kind !== "ledger") throw new Response("unknown export", { status: 404 });
  const body = params.kind === "members" ? membersCsv(db, shop.id) : ledgerCsv(db, shop.id);
  const date = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="tierwise-${params.kind}-${date}.csv"`,
      "Cache-Control": "no-store",
    },
  });
};
