// The `privacy` queue as a worker runs it: each job kind goes to the use case that owns it.
import type { QueueDefinition } from "../../shared/jobs";
import type { ForgetDeps } from "./deps";
import { sweepMessage } from "./forget-message";
import { sweepUser } from "./forget-user";
import { purgeDueWorkspaces, purgeWorkspace } from "./lifecycle";
import { type PrivacyJob, privacyJob } from "./privacy-contract";

export const privacyQueue: QueueDefinition<ForgetDeps, PrivacyJob> = {
  contract: privacyJob,
  // Purges are rare and each is one transaction plus scans: one at a time is plenty.
  concurrency: 1,
  processor: (deps) => async (data) => {
    if (data.kind === "forget-sweep") {
      await sweepUser(deps, { teamId: data.teamId, userId: data.userId });
    } else if (data.kind === "message-sweep") {
      await sweepMessage(deps, data);
    } else if (data.kind === "purge-workspace") {
      await purgeWorkspace(deps, data.teamId);
    } else {
      await purgeDueWorkspaces(deps);
    }
  },
};
