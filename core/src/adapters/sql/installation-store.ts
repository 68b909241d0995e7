// InstallationStore over SQL: tokens are sealed with the TokenCipher before they are written and
// opened after they are read, so the database never holds a usable token.
import { eq } from "drizzle-orm";
import type { Database } from "../../../../db/client";
import { slackInstallations, workspaces } from "../../../../db/schema";
import type { TokenCipher } from "../../../../db/token-cipher";
import type { InstallationStore } from "../../ports/installation-store";

export function createSqlInstallationStore(db: Database, cipher: TokenCipher): InstallationStore {
  return {
    async save(installation) {
      const sealed = await cipher.seal(installation.botToken, installation.teamId);
      const row = {
        teamId: installation.teamId,
        appId: installation.appId,
        botUserId: installation.botUserId,
        botId: installation.botId,
        scopes: installation.scopes,
        installedByUserId: installation.installedByUserId,
        tokenCiphertext: sealed.ciphertext,
        tokenIv: sealed.iv,
        tokenKeyId: sealed.keyId,
      };
      await db.transaction(async (tx) => {
        await tx.insert(workspaces).values({ teamId: installation.teamId }).onConflictDoNothing();
        await tx
          .insert(slackInstallations)
          .values(row)
          .onConflictDoUpdate({
            target: slackInstallations.teamId,
            set: { ...row, updatedAt: new Date() },
          });
      });
    },

    async find(teamId) {
      const [row] = await db
        .select()
        .from(slackInstallations)
        .where(eq(slackInstallations.teamId, teamId));
      if (!row) return undefined;
      const botToken = await cipher.open(
        { ciphertext: row.tokenCiphertext, iv: row.tokenIv, keyId: row.tokenKeyId },
        teamId,
      );
      return {
        teamId: row.teamId,
        appId: row.appId,
        botUserId: row.botUserId,
        botId: row.botId,
        scopes: row.scopes,
        botToken,
        installedByUserId: row.installedByUserId,
      };
    },
  };
}
