-- DropIndex
DROP INDEX "LedgerEntry_memberId_occurredAt_idx";

