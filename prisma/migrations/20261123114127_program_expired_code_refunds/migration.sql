-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Program" (
    "shopId" TEXT NOT NULL PRIMARY KEY,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "awardOn" TEXT NOT NULL DEFAULT 'PAID',
    "rounding" TEXT NOT NULL DEFAULT 'DOWN',
    "includeShipping" BOOLEAN NOT NULL DEFAULT false,
    "includeTaxes" BOOLEAN NOT NULL DEFAULT false,
    "excludedProductIds" TEXT NOT NULL DEFAULT '[]',
    "excludedCollectionIds" TEXT NOT NULL DEFAULT '[]',
    "guestOrderMatching" BOOLEAN NOT NULL DEFAULT true,
    "negativeBalancePolicy" TEXT NOT NULL DEFAULT 'FLOOR_AT_ZERO',
    "tierBasis" TEXT NOT NULL DEFAULT 'POINTS',
    "tierPeriod" TEXT NOT NULL DEFAULT 'LIFETIME',
    "returnPointsOnExpiredCodes" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Program_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Program" ("active", "awardOn", "excludedCollectionIds", "excludedProductIds", "guestOrderMatching", "includeShipping", "includeTaxes", "negativeBalancePolicy", "rounding", "shopId", "tierBasis", "tierPeriod", "updatedAt") SELECT "active", "awardOn", "excludedCollectionIds", "excludedProductIds", "guestOrderMatching", "includeShipping", "includeTaxes", "negativeBalancePolicy", "rounding", "shopId", "tierBasis", "tierPeriod", "updatedAt" FROM "Program";
DROP TABLE "Program";
ALTER TABLE "new_Program" RENAME TO "Program";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

