import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

// Offline mode: the query compiler and the schema engine run as WebAssembly through the
// better-sqlite3 driver adapter, so no Prisma command downloads a native engine.
// See docs/decisions/001-prisma-offline.md.
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  async adapter() {
    const url = process.env.DATABASE_URL ?? "file:./prisma/dev.sqlite";
    return new PrismaBetterSQLite3({ url });
  },
});
