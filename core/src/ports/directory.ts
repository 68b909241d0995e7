// Port: the workspaces, people and conversations pup knows about.
import type { ChannelVisibility, UserRole } from "./slack-vocabulary";

export interface Workspace {
  teamId: string;
  name: string | null;
  domain: string | null;
  enterpriseId: string | null;
}

export interface DirectoryUser {
  teamId: string;
  userId: string;
  name: string | null;
  displayName: string | null;
  realName: string | null;
  role: UserRole;
  isBot: boolean;
  forgottenAt: Date | null;
}

export interface DirectoryChannel {
  teamId: string;
  channelId: string;
  name: string | null;
  visibility: ChannelVisibility;
  isArchived: boolean;
  /** Shared with another organisation (Slack Connect): its outside members recall only where they are members. */
  isShared: boolean;
  toneRules: Record<string, unknown>;
}

/** Fields left undefined keep their stored value on update. */
type Upsert<T, Key extends keyof T> = Pick<T, Key> & Partial<Omit<T, Key>>;

/** Upserts and reads; a channel or user belongs to a workspace, so upsert the workspace first. */
export interface Directory {
  upsertWorkspace(workspace: Upsert<Workspace, "teamId">): Promise<Workspace>;
  getWorkspace(teamId: string): Promise<Workspace | undefined>;
  upsertUser(
    user: Upsert<Omit<DirectoryUser, "forgottenAt">, "teamId" | "userId">,
  ): Promise<DirectoryUser>;
  getUser(teamId: string, userId: string): Promise<DirectoryUser | undefined>;
  upsertChannel(
    channel: Upsert<DirectoryChannel, "teamId" | "channelId" | "visibility">,
  ): Promise<DirectoryChannel>;
  getChannel(teamId: string, channelId: string): Promise<DirectoryChannel | undefined>;
  /**
   * Sets a conversation's visibility and, in the same transaction, every one of its messages'
   * (the copy recall filters on), creating the channel row if it is new. The channel row is
   * the authority: a message stored meanwhile takes its visibility from it.
   * @returns how many messages changed visibility.
   */
  setChannelVisibility(
    teamId: string,
    channelId: string,
    visibility: ChannelVisibility,
  ): Promise<number>;
  /**
   * A conversation's id changed for good (`channel_id_changed`): its row and everything kept by
   * its id (messages, summaries, moods, replies, logged events) move to the new id, in one
   * transaction. A row already made under the new id absorbs the old one's. False if unknown.
   */
  moveChannel(teamId: string, oldChannelId: string, newChannelId: string): Promise<boolean>;
  /** Marks a conversation shared with another organisation or not; false if it is unknown. */
  setChannelShared(teamId: string, channelId: string, shared: boolean): Promise<boolean>;
}
