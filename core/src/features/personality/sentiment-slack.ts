/**
 * Turning a Slack message into plain words for a lexicon: Slack's markup (mentions, channel
 * links, URLs, code) carries no sentiment and would only add noise or false hits ("ERR!" in a
 * pasted log), while emoji shortcodes and emoticons carry a lot and are scored here, because the
 * lexicon library cannot see them once its tokenizer has stripped the punctuation.
 */
import { EMOJI_SCORES, EMOTICON_SCORES } from "./sentiment-lexicon";

/** What the emoji and emoticons of a message added up to, with the text left without them. */
export interface ExtractedEmoji {
  text: string;
  score: number;
  /** How many emoji and emoticons were seen, scored or not (they count as words for `score`). */
  count: number;
  /** Emoji names seen, without colons or skin tone, in order. */
  names: string[];
}

const CODE_BLOCK = /```[\s\S]*?```/g;
const INLINE_CODE = /`[^`\n]*`/g;
/** Every `<...>` in Slack's text is markup: `<@U1>`, `<#C1|name>`, `<!here>`, `<https://..|label>`. */
const SLACK_ENTITY = /<[^<>\n]*>/g;
const BARE_URL = /\bhttps?:\/\/\S+/g;
/** `:name:` with Slack's optional skin tone, written as a second code right after it. */
const SHORTCODE = /:([a-z0-9_+'-]+):(?::skin-tone-[1-6]:)?/gi;
const SKIN_TONE = /::?skin-tone-[1-6]:?$/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Emoticons only count standing alone, so `02:00`, `http://` and `f(x)` never match. */
const EMOTICON = new RegExp(
  `(^|\\s)(${Object.keys(EMOTICON_SCORES).map(escapeRegExp).join("|")})(?=\\s|$|[.,!?])`,
  "gi",
);

/**
 * Removes code, Slack entities and URLs, then decodes the three HTML entities Slack escapes in
 * message text (`&lt;3` is how a typed `<3` arrives).
 */
export function stripSlackMarkup(text: string): string {
  return text
    .replace(CODE_BLOCK, " ")
    .replace(INLINE_CODE, " ")
    .replace(SLACK_ENTITY, " ")
    .replace(BARE_URL, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** An emoji name as Slack sends it in text or in a reaction, without colons or skin tone. */
export function emojiName(raw: string): string {
  return raw.trim().replace(/^:/, "").replace(SKIN_TONE, "").replace(/:$/, "").toLowerCase();
}

/** The score of one emoji name; aliases Slack uses interchangeably map to the same entry. */
export function emojiScore(name: string): number {
  return EMOJI_SCORES[name] ?? 0;
}

/** Scores and removes emoji shortcodes and emoticons, leaving words for the lexicon. */
export function extractEmoji(text: string): ExtractedEmoji {
  let score = 0;
  let count = 0;
  const names: string[] = [];
  const withoutCodes = text.replace(SHORTCODE, (_match, raw: string) => {
    const name = emojiName(raw);
    names.push(name);
    score += emojiScore(name);
    count += 1;
    return " ";
  });
  const withoutEmoticons = withoutCodes.replace(
    EMOTICON,
    (_match, before: string, face: string) => {
      score += EMOTICON_SCORES[face] ?? EMOTICON_SCORES[face.toUpperCase()] ?? 0;
      count += 1;
      return `${before} `;
    },
  );
  return { text: withoutEmoticons, score, count, names };
}
