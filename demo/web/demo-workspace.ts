/**
 * The demo's seeded workspace: who is in it and where they talk. Ids follow Slack's prefixes
 * (C public, G private, D direct message) because pup's visibility rules read exactly that.
 */
import type { LocalWorkspace, WorkspaceIdentity } from "../local-slack/index";

/** The demo team and pup's bot identity, plus the people and conversations seeded. */
export const DEMO_IDENTITY = {
  teamId: "T0DEMO0001",
  teamName: "pup demo",
  domain: "pup-demo",
  botUserId: "U0DEMOPUP1",
  botId: "B0DEMOPUP1",
  appId: "A0DEMOPUP1",
  botName: "pup",
  users: {
    alice: { id: "U0DEMOALICE", name: "alice", realName: "Alice" },
    bob: { id: "U0DEMOBOB01", name: "bob", realName: "Bob" },
  },
  channels: {
    general: { id: "C0DEMOGENRL", name: "general" },
    random: { id: "C0DEMORANDM", name: "random" },
    secretPlans: { id: "G0DEMOSECRT", name: "secret-plans" },
  },
  dms: { alice: "D0DEMOALICE", bob: "D0DEMOBOB01" },
} as const satisfies WorkspaceIdentity & Record<string, unknown>;

/** The identity the local Slack's `auth.test` answers with. */
export const demoWorkspaceIdentity: WorkspaceIdentity = {
  teamId: DEMO_IDENTITY.teamId,
  teamName: DEMO_IDENTITY.teamName,
  domain: DEMO_IDENTITY.domain,
  botUserId: DEMO_IDENTITY.botUserId,
  botId: DEMO_IDENTITY.botId,
  appId: DEMO_IDENTITY.appId,
  botName: DEMO_IDENTITY.botName,
};

/** Adds the demo's people and conversations to a fresh workspace. */
export function seedDemoWorkspace(workspace: LocalWorkspace): void {
  const { users, channels, dms, botUserId } = DEMO_IDENTITY;
  const { alice, bob } = users;
  workspace.addUser({ id: alice.id, name: alice.name, realName: alice.realName, isAdmin: true });
  workspace.addUser({ id: bob.id, name: bob.name, realName: bob.realName });
  const everyone = [alice.id, bob.id, botUserId];
  workspace.addChannel({
    ...channels.general,
    visibility: "public",
    members: everyone,
    purpose: "Company-wide chatter",
    creator: alice.id,
  });
  workspace.addChannel({
    ...channels.random,
    visibility: "public",
    members: everyone,
    purpose: "Anything goes",
    creator: alice.id,
  });
  workspace.addChannel({
    ...channels.secretPlans,
    visibility: "private",
    members: everyone,
    purpose: "Only Alice, Bob and pup see this",
    creator: alice.id,
  });
  workspace.addChannel({
    id: dms.alice,
    name: alice.id,
    visibility: "im",
    user: alice.id,
    members: [alice.id, botUserId],
  });
  workspace.addChannel({
    id: dms.bob,
    name: bob.id,
    visibility: "im",
    user: bob.id,
    members: [bob.id, botUserId],
  });
}
