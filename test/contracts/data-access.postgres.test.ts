// The data-access contract on real PostgreSQL: this run's migrated test database.
import { createDb } from "../../db/client";
import { registerDataAccessContract } from "./data-access.contract";

registerDataAccessContract("postgres", async () => {
  const databaseUrl = process.env.PUP_TEST_DATABASE_URL;
  if (!databaseUrl) throw new Error("PUP_TEST_DATABASE_URL is unset: is the test preload running?");
  const handle = createDb({ databaseUrl, dataDir: "", embeddingDimensions: 512 });
  return { handle, dispose: () => handle.close() };
});
