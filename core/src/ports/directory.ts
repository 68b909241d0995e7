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
}
