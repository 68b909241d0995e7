// The data-access contract: one suite that every database driver must pass unchanged. Driver
// test files call `registerDataAccessContract` with a factory for a migrated database.
import { afterAll, beforeAll, describe } from "bun:test";
import { createSqlDataAccess, type SqlDataAccess } from "../../core/src/adapters/sql";
import type { DbHandle } from "../../db/client";
import { createTokenCipher } from "../../db/token-cipher";
import { registerAccountsContract } from "./data-access/accounts";
import type { ContractContext } from "./data-access/context";
import { registerDerivedMemoryContract } from "./data-access/derived-memory";
import { registerEventLogContract } from "./data-access/event-log";
import { registerLexicalRecallContract } from "./data-access/lexical-recall";
import { registerMessagesContract } from "./data-access/messages";
import { registerMoodsContract } from "./data-access/moods";
import { registerRecallContract } from "./data-access/recall";
import { registerRoleGrantsContract } from "./data-access/role-grants";

/** PGlite compiles its WASM on open: seconds on a busy 2-core machine. */
const OPEN_TIMEOUT_MS = 60_000;

export interface MigratedDatabase {
  handle: DbHandle;
  /** Closes connections and removes whatever the factory created. */
  dispose(): Promise<void>;
}

export function registerDataAccessContract(
  driverName: string,
  openMigratedDatabase: () => Promise<MigratedDatabase>,
): void {
  let database: MigratedDatabase | undefined;
  let access: SqlDataAccess | undefined;

  const context: ContractContext = {
    handle() {
      if (!database) throw new Error("contract database not opened");
      return database.handle;
    },
    access() {
      if (!access) throw new Error("contract data access not built");
      return access;
    },
  };

  describe(`data access contract (${driverName})`, () => {
    beforeAll(async () => {
      database = await openMigratedDatabase();
      const key = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64");
      const cipher = await createTokenCipher({
        currentKeyId: "test-key",
        keys: { "test-key": key },
      });
      access = createSqlDataAccess(database.handle.db, cipher);
    }, OPEN_TIMEOUT_MS);

    afterAll(async () => {
      await database?.dispose();
    });

    registerEventLogContract(context);
    registerMessagesContract(context);
    registerRecallContract(context);
    registerRoleGrantsContract(context);
    registerLexicalRecallContract(context);
    registerMoodsContract(context);
    registerAccountsContract(context);
    registerDerivedMemoryContract(context);
  });
}
