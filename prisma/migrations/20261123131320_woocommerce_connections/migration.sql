-- CreateTable
CREATE TABLE "WooConnection" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "storeUrl" TEXT NOT NULL,
    "consumerKey" TEXT NOT NULL,
    "consumerSecret" TEXT NOT NULL,
    "pluginSecret" TEXT NOT NULL,
    "earnStatus" TEXT NOT NULL DEFAULT 'processing',
    "status" TEXT NOT NULL DEFAULT 'CONNECTED',
    "ownerShopDomain" TEXT,
    "lastSyncedAt" DATETIME,
    "lastSyncError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "WooWebhook" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "connectionId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "wooWebhookId" INTEGER NOT NULL,
    "secret" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "WooWebhook_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "WooConnection" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "WooConnection_shopId_key" ON "WooConnection"("shopId");

-- CreateIndex
CREATE INDEX "WooConnection_ownerShopDomain_idx" ON "WooConnection"("ownerShopDomain");

-- CreateIndex
CREATE INDEX "WooWebhook_connectionId_wooWebhookId_idx" ON "WooWebhook"("connectionId", "wooWebhookId");

-- CreateIndex
CREATE UNIQUE INDEX "WooWebhook_connectionId_topic_key" ON "WooWebhook"("connectionId", "topic");

