/**
 * Profiles over pup's real composition on in-process adapters (test/setup/in-process-pup.ts):
 * a fresh person per test, their messages handled as the `message` queue would, and the profile
 * job run as a worker would run it.
 */
import { handleCommand } from "../../../core/src/features/commands";
import { type ProfileRun, runProfileJob } from "../../../core/src/features/profiles";
import type { ProfileFact } from "../../../core/src/ports/profile-store";
import type { InProcessPup } from "../../setup/in-process-pup";
import { TEAM } from "../../setup/in-process-pup";

export interface Person {
  id: string;
  /** Says `text` in `channel` (a thread reply with `threadTs`); returns the message's ts. */
  say(channel: string, text: string, threadTs?: string): Promise<string>;
  /** Runs the profile job over everything they said (the window starts at the epoch). */
  update(): Promise<ProfileRun>;
  facts(includeSuperseded?: boolean): Promise<ProfileFact[]>;
  /** The stored id of their message `ts` in `channel`. */
  messageId(channel: string, ts: string): Promise<number>;
  /** `/pup remember` in `channel`; `triggerId` repeats a delivery. */
  remember(channel: string, triggerId?: string): Promise<void>;
}

export function newPerson(pup: InProcessPup): Person {
  const id = `U0P${crypto.randomUUID().replaceAll("-", "").slice(0, 8).toUpperCase()}`;
  pup.slack.addUser({ id, name: id.toLowerCase() });
  return {
    id,
    async say(channel, text, threadTs) {
      // A member of every conversation they speak in (the local Slack checks it for ephemerals).
      const members = pup.slack.workspace.conversation(channel).members;
      if (members && !members.includes(id)) members.push(id);
      const said = pup.said(channel, text, { user: id, ...(threadTs ? { threadTs } : {}) });
      await pup.handle(said.envelope);
      return said.ts;
    },
    update: () => runProfileJob(pup.deps, { teamId: TEAM, userId: id, windowStart: 0 }),
    facts: (includeSuperseded = false) => pup.deps.profiles.facts(TEAM, id, { includeSuperseded }),
    async messageId(channel, ts) {
      const found = await pup.deps.messages.find({ teamId: TEAM, channelId: channel, ts });
      if (!found) throw new Error(`message ${ts} was not stored`);
      return found.id;
    },
    async remember(channel, triggerId = `${Date.now()}.${Math.random()}`) {
      const payload = {
        token: "unused",
        team_id: TEAM,
        channel_id: channel,
        user_id: id,
        command: "/pup",
        text: "remember",
        api_app_id: "A0FAKEAPP1",
        trigger_id: triggerId,
      };
      await handleCommand(pup.deps, payload, `command:${TEAM}:${triggerId}`);
    },
  };
}

/** `subject: fact` of each fact, sorted, for readable expectations. */
export function described(facts: readonly ProfileFact[]): string[] {
  return facts.map((fact) => `${fact.subject}: ${fact.fact}`).sort();
}
