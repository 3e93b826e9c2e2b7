-- AlterTable
ALTER TABLE "Tier" ADD COLUMN "entryRewardId" TEXT;

