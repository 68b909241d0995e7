// What every section of the data-access contract receives, plus the few fixtures they share.
import type { SqlDataAccess } from "../../../core/src/adapters/sql";
import type { ChannelVisibility } from "../../../core/src/ports/slack-vocabulary";
import type { DbHandle } from "../../../db/client";
import { uniqueName } from "../../setup/isolation";

export interface ContractContext {
  handle(): DbHandle;
  access(): SqlDataAccess;
}

/** A workspace of its own for one test, so tests never see each other's rows. */
export async function newWorkspace(context: ContractContext): Promise<string> {
  const teamId = uniqueName("T");
  await context.access().directory.upsertWorkspace({ teamId, name: "Contract Co" });
  return teamId;
}

export async function newChannel(
  context: ContractContext,
  teamId: string,
  visibility: ChannelVisibility,
): Promise<string> {
  const channelId = uniqueName("C");
  await context.access().directory.upsertChannel({ teamId, channelId, visibility });
  return channelId;
}

let tsCounter = 0;

/** Increasing Slack-style timestamps ("1700000000.000123"). */
export function nextTs(): string {
  tsCounter += 1;
  return `1700000000.${String(tsCounter).padStart(6, "0")}`;
}
