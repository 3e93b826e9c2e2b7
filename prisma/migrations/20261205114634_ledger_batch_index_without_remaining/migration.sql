-- DropIndex
DROP INDEX "LedgerEntry_member_batch_idx";

-- CreateIndex
CREATE INDEX "LedgerEntry_member_batch_idx" ON "LedgerEntry"("memberId", "occurredAt", "qualifying", "kind", "points", "waivedPoints");

