/**
 * A deterministic Slack workspace for the memory benchmark: channels of every visibility, people,
 * and chat messages and questions generated from word lists by a seeded PRNG. Each channel has
 * its own subject matter and shares everyday vocabulary with the others, so nearest neighbours
 * come from every visibility and the recall filter has real work to do.
 */
import type { ChannelVisibility } from "../../../core/src/ports/slack-vocabulary";
import { seededRandom } from "../vectors";
import { chatMessage, chooser, question, REACTIONS } from "./sentences";

export const TEAM = "TBENCHMEM";
export const BOT_USER = "UPUPBOT";
/** The messages span these 100 days; recall's clock reads an hour after the last one. */
const CORPUS_START = Date.UTC(2025, 0, 6);
const CORPUS_DAYS = 100;
export const CORPUS_NOW = CORPUS_START + CORPUS_DAYS * 86_400_000 + 3_600_000;

export interface CorpusChannel {
  channelId: string;
  name: string | null;
  visibility: ChannelVisibility;
  /** Share of all messages posted here. */
  weight: number;
  topics: readonly string[];
}

export interface CorpusUser {
  userId: string;
  displayName: string;
}

export interface CorpusMessage {
  channelId: string;
  visibility: ChannelVisibility;
  ts: string;
  threadTs: string | null;
  userId: string | null;
  botId: string | null;
  text: string;
  postedAt: Date;
}

const words = (list: string) => list.split(" ");

const NAMES = words(
  "ana ben chloe dev emma farid gwen hugo ines jack kemal lena marco nina omar priya quinn rosa " +
    "sven tara ugo vera wes xena yusuf zoe alba bruno cleo dario elif felix gita hana ivan jonas " +
    "kira liam maya noah",
);

export const USERS: readonly CorpusUser[] = NAMES.map((name, i) => ({
  userId: `U${String(i + 1).padStart(4, "0")}`,
  displayName: name,
}));

const PUBLIC: [string, string][] = [
  ["general", "office offsite holiday badge parking kitchen wifi announcement townhall benefits"],
  ["engineering", "deploy pipeline branch merge refactor migration postgres redis cache latency"],
  ["random", "coffee lunch cat dog movie playlist football weekend pizza hiking"],
  ["design", "mockup figma typography palette onboarding icon layout prototype usability sketch"],
  ["incidents", "outage pager alert rollback timeout postmortem dashboard error spike failover"],
  ["releases", "changelog version beta rollout flag hotfix tag freeze android ios"],
  ["support", "ticket customer refund invoice escalation login password export billing sla"],
  ["marketing", "campaign newsletter webinar launch blog seo conference budget brand video"],
];
const PRIVATE: [string, string][] = [
  ["leadership", "headcount roadmap budget reorg okr board forecast strategy hiring runway"],
  ["hiring", "candidate interview offer recruiter salary onsite referral résumé loop pipeline"],
  [
    "security",
    "vulnerability audit pentest credential phishing patch encryption token access soc2",
  ],
];
const PRIVATE_TOPICS = "salary review promotion feedback vacation doctor apartment birthday gift";

/** Channels, private channels, DMs and group DMs with their share of the traffic. */
export const CHANNELS: readonly CorpusChannel[] = [
  ...PUBLIC.map(([name, topics], i) => ({
    channelId: `CPUB${i + 1}`,
    name,
    visibility: "public_channel" as const,
    weight: [16, 14, 10, 7, 6, 5, 6, 4][i] ?? 5,
    topics: words(topics),
  })),
  ...PRIVATE.map(([name, topics], i) => ({
    channelId: `GPRIV${i + 1}`,
    name,
    visibility: "private_channel" as const,
    weight: 4,
    topics: words(topics),
  })),
  ...Array.from({ length: 12 }, (_, i) => ({
    channelId: `DDM${i + 1}`,
    name: null,
    visibility: "dm" as const,
    weight: 1.2,
    topics: words(PRIVATE_TOPICS),
  })),
  ...Array.from({ length: 3 }, (_, i) => ({
    channelId: `GMPIM${i + 1}`,
    name: null,
    visibility: "group_dm" as const,
    weight: 1.2,
    topics: words(PRIVATE_TOPICS),
  })),
];

function weightedChannel(random: () => number): CorpusChannel {
  const total = CHANNELS.reduce((sum, c) => sum + c.weight, 0);
  let left = random() * total;
  for (const channel of CHANNELS) {
    left -= channel.weight;
    if (left <= 0) return channel;
  }
  return CHANNELS[0] as CorpusChannel;
}

/** `count` messages, oldest first, over the corpus's 100 days; the same for the same seed. */
export function* generateMessages(count: number, seed = 5): Generator<CorpusMessage> {
  const random = seededRandom(seed);
  const pick = chooser(random);
  const spacing = (CORPUS_DAYS * 86_400_000) / Math.max(1, count);
  /** The latest root message per channel, for thread replies. */
  const roots = new Map<string, string>();
  for (let i = 0; i < count; i += 1) {
    const channel = weightedChannel(random);
    const postedAt = new Date(CORPUS_START + Math.floor(i * spacing));
    const ts = `${Math.floor(postedAt.getTime() / 1000)}.${String(i % 1_000_000).padStart(6, "0")}`;
    const root = roots.get(channel.channelId);
    const threadTs = root !== undefined && random() < 0.25 ? root : null;
    if (threadTs === null) roots.set(channel.channelId, ts);
    const fromBot = channel.visibility === "public_channel" && random() < 0.03;
    const speaker = pick(USERS);
    // Cross-channel chatter: one message in five borrows another channel's subjects.
    const topics = random() < 0.2 ? weightedChannel(random).topics : channel.topics;
    const text =
      random() < 0.08 ? pick(REACTIONS) : chatMessage(pick, topics, pick(USERS).displayName);
    yield {
      channelId: channel.channelId,
      visibility: channel.visibility,
      ts,
      threadTs,
      userId: fromBot ? null : speaker.userId,
      botId: fromBot ? "BDEPLOYBOT" : null,
      text: fromBot ? `deploy bot: ${text}` : text,
      postedAt,
    };
  }
}

export interface CorpusQuery {
  channelId: string;
  visibility: ChannelVisibility;
  text: string;
}

/**
 * Questions asked from a mix of conversations: half from public channels, a quarter from private
 * channels and a quarter from DMs and group DMs, so the visibility filter matters.
 */
export function generateQueries(count: number, seed = 11): CorpusQuery[] {
  const random = seededRandom(seed);
  const pick = chooser(random);
  const byKind = (kinds: ChannelVisibility[]) =>
    CHANNELS.filter((c) => kinds.includes(c.visibility));
  const groups = [
    byKind(["public_channel"]),
    byKind(["public_channel"]),
    byKind(["private_channel"]),
    byKind(["dm", "group_dm"]),
  ];
  return Array.from({ length: count }, (_, i) => {
    const channel = pick(groups[i % groups.length] ?? []);
    const topics = random() < 0.7 ? channel.topics : weightedChannel(random).topics;
    return {
      channelId: channel.channelId,
      visibility: channel.visibility,
      text: question(pick, topics, pick(USERS).displayName),
    };
  });
}
