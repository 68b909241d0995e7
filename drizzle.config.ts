// drizzle-kit reads this for `bun run db:generate` and `bun run db:check`. Never `push`: every
// change goes through a committed migration.
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
  strict: true,
  verbose: true,
});
