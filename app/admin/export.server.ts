import type { Db } from "../db.server";
import { csvLine } from "./csv";

const BATCH = 1000;

/** Streams a CSV built page by page, so a shop with many members never holds it all in memory. */
function csvStream(header: string[], pages: (cursor: string | undefined) => Promise<{ rows: (string | number | null)[][]; cursor: string | undefined }>) {
  let cursor: string | undefined;
  let started = false;
  let done = false;
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(csvLine(header)));
        return;
      }
      if (done) return controller.close();
      const page = await pages(cursor);
      if (page.rows.length) controller.enqueue(encoder.encode(page.rows.map(csvLine).join("")));
      cursor = page.cursor;
      if (!cursor) done = true;
    },
  });
}

/** Members with balances and tiers; the columns are the ones the import reads back. */
export function membersCsv(db: Db, shopId: string) {
  return csvStream(
    ["customer_id", "email", "first_name", "last_name", "points", "lifetime_points", "vip_tier", "last_order_at", "enrolled_at"],
    async (cursor) => {
      const members = await db.member.findMany({
        where: { shopId, redactedAt: null },
        orderBy: { id: "asc" },
        take: BATCH,
        ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
        include: { tier: { select: { name: true } } },
      });
      return {
        rows: members.map((m) => [m.platformCustomerId, m.email, m.firstName, m.lastName, m.balance, m.lifetimePoints, m.tier?.name ?? "", m.lastOrderAt?.toISOString() ?? "", m.enrolledAt.toISOString()]),
        cursor: members.length === BATCH ? members[members.length - 1].id : undefined,
      };
    },
  );
}

export function ledgerCsv(db: Db, shopId: string) {
  return csvStream(
    ["entry_id", "occurred_at", "customer_id", "email", "kind", "points", "waived_points", "reason", "source", "source_id", "created_by"],
    async (cursor) => {
      const entries = await db.ledgerEntry.findMany({
        where: { shopId },
        orderBy: { id: "asc" },
        take: BATCH,
        ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
        include: { member: { select: { platformCustomerId: true, email: true } } },
      });
      return {
        rows: entries.map((e) => [e.id, e.occurredAt.toISOString(), e.member.platformCustomerId, e.member.email, e.kind, e.points, e.waivedPoints, e.reason, e.sourceType, e.sourceId, e.createdBy]),
        cursor: entries.length === BATCH ? entries[entries.length - 1].id : undefined,
      };
    },
  );
}
