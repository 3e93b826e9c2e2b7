-- CreateTable
CREATE TABLE "TierOverride" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "tierId" TEXT NOT NULL,
    "endsAt" DATETIME NOT NULL,
    "reason" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "AdminSetup" (
    "shopId" TEXT NOT NULL PRIMARY KEY,
    "onboardedAt" DATETIME NOT NULL,
    "choice" TEXT NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "TierOverride_memberId_key" ON "TierOverride"("memberId");

-- CreateIndex
CREATE INDEX "TierOverride_shopId_idx" ON "TierOverride"("shopId");

-- CreateIndex
CREATE INDEX "Member_shopId_lastOrderAt_idx" ON "Member"("shopId", "lastOrderAt");

