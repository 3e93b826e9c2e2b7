-- DropIndex
DROP INDEX "OrderRecord_shopId_memberId_idx";

-- CreateIndex
CREATE INDEX "OrderRecord_shopId_memberId_processedAt_idx" ON "OrderRecord"("shopId", "memberId", "processedAt");

