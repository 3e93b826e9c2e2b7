-- CreateTable
CREATE TABLE "PastTierBaseline" (
    "memberId" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "tierId" TEXT,

    PRIMARY KEY ("memberId", "at"),
    CONSTRAINT "PastTierBaseline_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

