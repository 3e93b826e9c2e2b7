-- Written by hand: Prisma's schema cannot express a partial index (see the LedgerEntry model).
-- The unspent credits alone, for the expiry pass's search for what is due (issue 5).
CREATE INDEX "LedgerEntry_unspent_idx" ON "LedgerEntry"("memberId", "occurredAt", "expiresAt", "remaining") WHERE "remaining" > 0;
