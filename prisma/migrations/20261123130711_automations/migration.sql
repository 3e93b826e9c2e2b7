-- CreateTable
CREATE TABLE "JobRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "job" TEXT NOT NULL,
    "slot" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "cursor" TEXT,
    "counts" TEXT NOT NULL DEFAULT '{}',
    "batches" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    "nextAttemptAt" DATETIME,
    "lastError" TEXT,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "AutomationSettings" (
    "shopId" TEXT NOT NULL PRIMARY KEY,
    "expiryMode" TEXT NOT NULL DEFAULT 'NEVER',
    "expiryMonths" INTEGER NOT NULL DEFAULT 12,
    "expiryReminderDays" INTEGER NOT NULL DEFAULT 14,
    "birthdayRewardId" TEXT,
    "winbackDays" INTEGER NOT NULL DEFAULT 90,
    "soClosePercent" INTEGER NOT NULL DEFAULT 10,
    "spendPointsDays" INTEGER NOT NULL DEFAULT 30,
    "milestones" TEXT NOT NULL DEFAULT '[1000,5000,10000]',
    "transactionalToAll" BOOLEAN NOT NULL DEFAULT true,
    "dailyCap" INTEGER NOT NULL DEFAULT 2,
    "conversionDays" INTEGER NOT NULL DEFAULT 7,
    "emailEnabled" BOOLEAN NOT NULL DEFAULT false,
    "flowEnabled" BOOLEAN NOT NULL DEFAULT true,
    "smtpHost" TEXT,
    "smtpPort" INTEGER NOT NULL DEFAULT 587,
    "smtpSecure" BOOLEAN NOT NULL DEFAULT false,
    "smtpUser" TEXT,
    "smtpPasswordEncrypted" TEXT,
    "fromAddress" TEXT,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "MessageTrigger" (
    "shopId" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "variantBShare" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shopId", "trigger")
);

-- CreateTable
CREATE TABLE "MessageTemplate" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "variant" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "MessageLog" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "marketing" BOOLEAN NOT NULL,
    "variant" TEXT NOT NULL DEFAULT 'A',
    "locale" TEXT NOT NULL DEFAULT 'en',
    "data" TEXT NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'QUEUED',
    "reason" TEXT,
    "toAddress" TEXT,
    "subject" TEXT,
    "queuedAt" DATETIME NOT NULL,
    "sentAt" DATETIME,
    "openedAt" DATETIME,
    "clickedAt" DATETIME
);

-- CreateTable
CREATE TABLE "MessageOptOut" (
    "memberId" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "JobRun_status_nextAttemptAt_idx" ON "JobRun"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "JobRun_job_slot_key" ON "JobRun"("job", "slot");

-- CreateIndex
CREATE UNIQUE INDEX "MessageTemplate_shopId_trigger_variant_locale_key" ON "MessageTemplate"("shopId", "trigger", "variant", "locale");

-- CreateIndex
CREATE INDEX "MessageLog_memberId_queuedAt_idx" ON "MessageLog"("memberId", "queuedAt");

-- CreateIndex
CREATE INDEX "MessageLog_shopId_trigger_variant_idx" ON "MessageLog"("shopId", "trigger", "variant");

-- CreateIndex
CREATE UNIQUE INDEX "MessageLog_shopId_dedupeKey_key" ON "MessageLog"("shopId", "dedupeKey");

