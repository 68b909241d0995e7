/**
 * Two workspaces holding the same rows (same channel ids, timestamps, texts and vectors; only
 * `team_id` differs), each with a public channel, a private channel and a DM, for
 * memory-scope.test.ts: a statement that does not filter by team cannot help returning the
 * other workspace's rows, and one that ignores visibility returns the private ones.
 */
import type { DerivedMemory } from "../../core/src/ports/derived-memory";
import type { Directory } from "../../core/src/ports/directory";
import type { MessageInput, MessageRef, MessageStore } from "../../core/src/ports/message-store";
import type { ChannelVisibility } from "../../core/src/ports/slack-vocabulary";
import { fakeEmbedding } from "../fakes/openai";

export interface WorkspaceRows {
  teamId: string;
  channels: { public: string; private: string; dm: string };
  refs: Record<"public" | "private" | "dm" | "editable" | "deletable" | "removable", MessageRef>;
  /** The public channel's first message (a thread root, with a vector). */
  ids: { public: number };
}

export interface ScopeFixture {
  a: WorkspaceRows;
  b: WorkspaceRows;
  userId: string;
  /** The text every seeded conversation holds. */
  text: string;
  /** A message not stored yet, in A's public channel. */
  newMessageInA(text: string): MessageInput;
}

const TEXT = "the launch code is orchid";
const CHANNELS = { public: "C0SCOPEPUB", private: "G0SCOPEPRV", dm: "D0SCOPEDM1" };
const VISIBILITY: Record<keyof typeof CHANNELS, ChannelVisibility> = {
  public: "public_channel",
  private: "private_channel",
  dm: "dm",
};
const USER = "U0SCOPE001";

let seconds = 1_700_000_000;
function nextTs(): string {
  seconds += 1;
  return `${seconds}.000100`;
}

async function seedWorkspace(
  directory: Directory,
  store: MessageStore,
  derived: DerivedMemory,
  teamId: string,
  timestamps: string[],
): Promise<WorkspaceRows> {
  await directory.upsertWorkspace({ teamId, name: teamId });
  for (const [kind, channelId] of Object.entries(CHANNELS) as [keyof typeof CHANNELS, string][]) {
    await directory.upsertChannel({ teamId, channelId, visibility: VISIBILITY[kind], name: kind });
  }
  const put = async (kind: keyof typeof CHANNELS, ts: string, text: string, threadTs?: string) => {
    const stored = await store.upsert({
      teamId,
      channelId: CHANNELS[kind],
      ts,
      threadTs: threadTs ?? null,
      userId: USER,
      text,
      visibility: VISIBILITY[kind],
      postedAt: new Date(Number(ts) * 1000),
    });
    await store.setEmbedding(teamId, stored.id, fakeEmbedding(text, 512), "test");
    return stored;
  };
  const [pub, prv, dm, editable, deletable, removable, reply] = timestamps as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const root = await put("public", pub, TEXT);
  await put("private", prv, TEXT);
  await put("dm", dm, TEXT);
  for (const ts of [editable, deletable, removable]) await put("public", ts, `${TEXT}, again`);
  await put("public", reply, "the launch code is in the thread", pub);
  await derived.addFact({
    teamId,
    userId: USER,
    fact: `fact of ${teamId}`,
    sourceMessageIds: [root.id],
  });
  // Newer than anything A saves, so a summary query that ignored the team would pick this one.
  await derived.saveSummary({
    teamId,
    channelId: CHANNELS.public,
    periodStart: new Date(),
    periodEnd: new Date(Date.now() + 86_400_000),
    summary: `summary of ${teamId}`,
    sourceUserIds: [USER],
  });
  const ref = (kind: keyof typeof CHANNELS, ts: string) => ({
    teamId,
    channelId: CHANNELS[kind],
    ts,
  });
  return {
    teamId,
    channels: { ...CHANNELS },
    refs: {
      public: ref("public", pub),
      private: ref("private", prv),
      dm: ref("dm", dm),
      editable: ref("public", editable),
      deletable: ref("public", deletable),
      removable: ref("public", removable),
    },
    ids: { public: root.id },
  };
}

/** Seeds workspace `${tag}A` and `${tag}B` with the same rows; A is the one asked about. */
export async function seedTwoWorkspaces(
  directory: Directory,
  store: MessageStore,
  derived: DerivedMemory,
  tag: string,
): Promise<ScopeFixture> {
  const timestamps = Array.from({ length: 7 }, nextTs);
  // B first: its rows are older, so "newest first" reads would meet them only if unscoped.
  const b = await seedWorkspace(directory, store, derived, `${tag}B`, timestamps);
  const a = await seedWorkspace(directory, store, derived, `${tag}A`, timestamps);
  return {
    a,
    b,
    userId: USER,
    text: TEXT,
    newMessageInA: (text) => {
      const ts = nextTs();
      return {
        teamId: a.teamId,
        channelId: CHANNELS.public,
        ts,
        userId: USER,
        text,
        visibility: "public_channel",
        postedAt: new Date(Number(ts) * 1000),
      };
    },
  };
}
