// The data-access contract on embedded PGlite (with pgvector), in memory, migrated afresh.
import { createDb, IN_MEMORY_DATA_DIR } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { registerDataAccessContract } from "./data-access.contract";

registerDataAccessContract("pglite", async () => {
  const handle = createDb({ dataDir: IN_MEMORY_DATA_DIR, embeddingDimensions: 512 });
  await migrateDatabase(handle, { embeddingDimensions: 512 });
  return { handle, dispose: () => handle.close() };
});
