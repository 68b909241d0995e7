/**
 * The Slack gateway with the output filter in front of every write: posts, ephemerals and
 * `response_url` answers (their Block Kit texts too), streamed replies, assistant titles,
 * statuses and suggested prompts, and the App Home view's texts. The composition root (start/services.ts) wraps the real gateway
 * once, so no feature can reach Slack around the filter; reads pass straight through.
 * Every method is listed by hand on purpose: a method added to the port fails to compile here
 * until someone decides whether what it sends needs the filter.
 */
import type {
  PostedMessage,
  ReplyStream,
  ReplyTarget,
  SlackBlock,
  SlackGateway,
} from "../../ports/slack-gateway";
import { filterText, type OutputPolicy } from "./output-filter";
import { OutputStreamFilter } from "./output-stream";

/** `gateway` with every text it would send to Slack passed through the output filter first. */
export function filteredSlackGateway(gateway: SlackGateway, policy: OutputPolicy): SlackGateway {
  const clean = (text: string) => filterText(text, policy);
  return {
    identity: () => gateway.identity(),
    userInfo: (teamId, userId, options) => gateway.userInfo(teamId, userId, options),
    conversationInfo: (teamId, channelId, options) =>
      gateway.conversationInfo(teamId, channelId, options),
    userConversations: (teamId, userId) => gateway.userConversations(teamId, userId),
    conversationMembers: (teamId, channelId) => gateway.conversationMembers(teamId, channelId),
    threadMessages: (teamId, channelId, threadTs, afterTs) =>
      gateway.threadMessages(teamId, channelId, threadTs, afterTs),
    permalink: (teamId, channelId, ts) => gateway.permalink(teamId, channelId, ts),
    addReaction: (teamId, channelId, ts, name) => gateway.addReaction(teamId, channelId, ts, name),
    removeReaction: (teamId, channelId, ts, name) =>
      gateway.removeReaction(teamId, channelId, ts, name),
    async openReply(target: ReplyTarget): Promise<ReplyStream> {
      return new FilteredReplyStream(await gateway.openReply(target), policy);
    },
    post: (target, text) => gateway.post(target, clean(text)),
    postEphemeral: (teamId, channelId, userId, text, blocks) =>
      gateway.postEphemeral(
        teamId,
        channelId,
        userId,
        clean(text),
        blocks === undefined ? undefined : filterBlockTexts(blocks, clean),
      ),
    respond: (responseUrl, text, options) =>
      gateway.respond(
        responseUrl,
        clean(text),
        options?.blocks === undefined
          ? options
          : { ...options, blocks: filterBlockTexts(options.blocks, clean) },
      ),
    setAssistantStatus: (teamId, channelId, threadTs, status) =>
      gateway.setAssistantStatus(teamId, channelId, threadTs, clean(status)),
    setSuggestedPrompts: (teamId, channelId, threadTs, prompts, title) =>
      gateway.setSuggestedPrompts(
        teamId,
        channelId,
        threadTs,
        prompts.map((prompt) => ({ title: clean(prompt.title), message: clean(prompt.message) })),
        title === undefined ? undefined : clean(title),
      ),
    setAssistantTitle: (teamId, channelId, threadTs, title) =>
      gateway.setAssistantTitle(teamId, channelId, threadTs, clean(title)),
    publishHome: (teamId, userId, view) =>
      gateway.publishHome(teamId, userId, filterViewTexts(view, clean)),
  };
}

/** A reply stream whose text is filtered as it arrives (output-stream.ts holds split tails). */
class FilteredReplyStream implements ReplyStream {
  readonly #filter: OutputStreamFilter;

  constructor(
    private readonly inner: ReplyStream,
    policy: OutputPolicy,
  ) {
    this.#filter = new OutputStreamFilter(policy);
  }

  async append(text: string): Promise<void> {
    const released = this.#filter.push(text);
    if (released !== "") await this.inner.append(released);
  }

  async finish(): Promise<PostedMessage[]> {
    const rest = this.#filter.flush();
    if (rest !== "") await this.inner.append(rest);
    return this.inner.finish();
  }

  abort(reason: string): Promise<void> {
    // What was held back was never shown; it is dropped with the reply.
    return this.inner.abort(reason);
  }

  mayHavePosted(): boolean {
    return this.inner.mayHavePosted();
  }
}

/** A message's blocks with their texts filtered, as {@link filterViewTexts} does for a view. */
export function filterBlockTexts(
  blocks: readonly SlackBlock[],
  clean: (text: string) => string,
): SlackBlock[] {
  return filterViewTexts({ blocks }, clean).blocks as SlackBlock[];
}

/**
 * Every string under a `text` key of a Block Kit view (`text` objects, titles, button labels),
 * filtered. Other strings (ids, urls of images, action values) are not shown as message text.
 */
export function filterViewTexts(
  view: Record<string, unknown>,
  clean: (text: string) => string,
): Record<string, unknown> {
  const walk = (value: unknown, key: string | undefined): unknown => {
    if (typeof value === "string") return key === "text" ? clean(value) : value;
    if (Array.isArray(value)) return value.map((item) => walk(item, undefined));
    if (value && typeof value === "object") {
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, walk(v, k)]),
      );
    }
    return value;
  };
  return walk(view, undefined) as Record<string, unknown>;
}
