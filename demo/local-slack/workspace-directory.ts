/**
 * Who and where: the users and conversations of the local workspace, with the JSON shapes
 * `users.info` and `conversations.info` return. IDs follow Slack's prefixes (U…, C…, G…, D…) so
 * code under test can tell kinds of conversation apart the way it would in production.
 */
import { SlackApiError } from "./method-args";

/** How a conversation is visible: pup's memory rules depend on exactly this distinction. */
export type ConversationVisibility = "public" | "private" | "im" | "mpim";

/** A person (or bot user) in the workspace, in `users.info`'s shape. */
export interface SlackUser {
  id: string;
  team_id: string;
  name: string;
  real_name: string;
  deleted: boolean;
  is_admin: boolean;
  is_owner: boolean;
  /** A guest: multi-channel (`is_restricted`) or single-channel (`is_ultra_restricted`). */
  is_restricted: boolean;
  is_ultra_restricted: boolean;
  /** From another organisation, met in a shared channel (Slack Connect). */
  is_stranger?: boolean;
  /** On Enterprise Grid: the organisation's workspaces the user belongs to. */
  enterprise_user?: { enterprise_id: string; teams: string[] };
  is_bot: boolean;
  is_app_user: boolean;
  tz: string;
  tz_label: string;
  tz_offset: number;
  updated: number;
  profile: Record<string, unknown>;
}

/** Input for {@link WorkspaceDirectory.addUser}; only `name` is required. */
export interface NewUser {
  id?: string;
  name: string;
  realName?: string;
  email?: string;
  isAdmin?: boolean;
  isBot?: boolean;
  botId?: string;
  deleted?: boolean;
  tz?: string;
  isRestricted?: boolean;
  isUltraRestricted?: boolean;
  /** Someone from another organisation: their own team id, and `is_stranger` in `users.info`. */
  teamId?: string;
  /**
   * An Enterprise Grid member whose home workspace (`teamId`) is another of the organisation's:
   * the workspaces they belong to, listed in `enterprise_user.teams` (and no `is_stranger`).
   */
  enterpriseTeams?: string[];
}

/** A conversation as stored; rendered to Slack's shape by {@link conversationShape}. */
export interface SlackConversation {
  id: string;
  name: string;
  visibility: ConversationVisibility;
  created: number;
  creator: string;
  /** Member user ids; `undefined` means membership is not modelled (everyone may post). */
  members: string[] | undefined;
  topic: string;
  purpose: string;
  isArchived: boolean;
  /** For a DM: the other person. */
  user?: string;
}

/** Input for {@link WorkspaceDirectory.addChannel}. */
export interface NewChannel {
  id?: string;
  name: string;
  visibility?: ConversationVisibility;
  members?: string[];
  topic?: string;
  purpose?: string;
  creator?: string;
  isArchived?: boolean;
  user?: string;
}

const ID_PREFIX: Record<ConversationVisibility, string> = {
  public: "C",
  private: "G",
  im: "D",
  mpim: "G",
};

/** Users and conversations of one workspace. */
export class WorkspaceDirectory {
  readonly #users = new Map<string, SlackUser>();
  readonly #conversations = new Map<string, SlackConversation>();
  #sequence = 0;

  constructor(
    private readonly teamId: string,
    private readonly nowSeconds: () => number,
  ) {}

  /** Adds (or replaces) a user and returns it in `users.info` shape. */
  addUser(input: NewUser): SlackUser {
    const id = input.id ?? this.#newId("U");
    const realName = input.realName ?? input.name;
    const user: SlackUser = {
      id,
      team_id: input.teamId ?? this.teamId,
      name: input.name,
      real_name: realName,
      deleted: input.deleted ?? false,
      is_admin: input.isAdmin ?? false,
      is_owner: false,
      is_restricted: input.isRestricted ?? false,
      is_ultra_restricted: input.isUltraRestricted ?? false,
      ...(input.enterpriseTeams
        ? { enterprise_user: { enterprise_id: "E0LOCALORG", teams: input.enterpriseTeams } }
        : input.teamId && input.teamId !== this.teamId
          ? { is_stranger: true }
          : {}),
      is_bot: input.isBot ?? false,
      is_app_user: false,
      tz: input.tz ?? "Europe/London",
      tz_label: "Greenwich Mean Time",
      tz_offset: 0,
      updated: this.nowSeconds(),
      profile: {
        real_name: realName,
        real_name_normalized: realName,
        display_name: input.name,
        display_name_normalized: input.name,
        team: this.teamId,
        ...(input.email ? { email: input.email } : {}),
        ...(input.botId ? { bot_id: input.botId } : {}),
      },
    };
    this.#users.set(id, user);
    return user;
  }

  /** The user with this id, or `undefined`. */
  findUser(id: string): SlackUser | undefined {
    return this.#users.get(id);
  }

  /** Every user, in insertion order. */
  listUsers(): SlackUser[] {
    return [...this.#users.values()];
  }

  /** Adds (or replaces) a conversation. */
  addChannel(input: NewChannel): SlackConversation {
    const visibility = input.visibility ?? "public";
    const conversation: SlackConversation = {
      id: input.id ?? this.#newId(ID_PREFIX[visibility]),
      name: input.name,
      visibility,
      created: this.nowSeconds(),
      creator: input.creator ?? "",
      members: input.members ? [...input.members] : undefined,
      topic: input.topic ?? "",
      purpose: input.purpose ?? "",
      isArchived: input.isArchived ?? false,
      ...(input.user ? { user: input.user } : {}),
    };
    this.#conversations.set(conversation.id, conversation);
    return conversation;
  }

  /** Finds a conversation by id or by name (with or without `#`). */
  findChannel(idOrName: string): SlackConversation | undefined {
    const byId = this.#conversations.get(idOrName);
    if (byId) return byId;
    const name = idOrName.replace(/^#/, "");
    return [...this.#conversations.values()].find((c) => c.visibility !== "im" && c.name === name);
  }

  /** Every conversation, in insertion order. */
  listChannels(): SlackConversation[] {
    return [...this.#conversations.values()];
  }

  /**
   * Whether `userId` is in the conversation: a DM's person (and the bot), a listed member, or
   * anyone where membership is not modelled.
   */
  isMember(conversation: SlackConversation, userId: string): boolean {
    if (conversation.members) return conversation.members.includes(userId);
    return conversation.visibility !== "im" || conversation.user === userId;
  }

  /** The DM between the bot and `userId`, opened on first use as Slack does for `channel: U…`. */
  openDm(userId: string, botUserId: string): SlackConversation {
    const existing = this.listChannels().find((c) => c.visibility === "im" && c.user === userId);
    if (existing) return existing;
    if (!this.#users.has(userId)) throw new SlackApiError("user_not_found");
    return this.addChannel({
      name: userId,
      visibility: "im",
      user: userId,
      members: [userId, botUserId],
    });
  }

  #newId(prefix: string): string {
    this.#sequence += 1;
    return `${prefix}0FAKE${String(this.#sequence).padStart(5, "0")}`;
  }
}
