// Pure helpers for the demo page: Slack text to safe HTML, emoji names, times. No DOM state.

const EMOJI = {
  "+1": "👍",
  thumbsup: "👍",
  "-1": "👎",
  heart: "❤️",
  tada: "🎉",
  joy: "😂",
  eyes: "👀",
  fire: "🔥",
  pray: "🙏",
  smile: "😄",
  wave: "👋",
  raised_hands: "🙌",
  dog: "🐶",
  white_check_mark: "✅",
  thinking_face: "🤔",
  sparkles: "✨",
  rocket: "🚀",
  cat: "🐱",
  slightly_smiling_face: "🙂",
  smirk: "😏",
  "star-struck": "🤩",
  bone: "🦴",
  wink: "😉",
  sob: "😭",
  ok_hand: "👌",
  paw_prints: "🐾",
};

/** The emoji for a Slack reaction name (`+1`), or the name in colons when unknown. */
export function emoji(name) {
  return EMOJI[name] ?? `:${name}:`;
}

/** The reaction names the page offers as quick reactions. */
export const QUICK_REACTIONS = ["+1", "heart", "tada", "joy", "eyes"];

export function escapeHtml(text) {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** Slack escapes &, < and > in message text; undo that before escaping for HTML once. */
function unescapeSlack(text) {
  return text.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
}

/**
 * Message text (Slack mrkdwn, or the markdown pup streams) to HTML: mentions, links, code,
 * bold, italics, strike, quotes and line breaks. Everything is escaped first, so the only
 * markup is what this function adds.
 */
export function formatText(text, nameOf) {
  const codeBlocks = [];
  let source = String(text ?? "").replace(/```([\s\S]*?)```/g, (_, code) => {
    codeBlocks.push(code.replace(/^\n/, ""));
    return `\uE000${codeBlocks.length - 1}\uE000`;
  });
  // Slack's angle-bracket tokens: <@U123>, <#C123|name>, <https://x|label>, <!here>.
  const tokens = [];
  source = source.replace(/<([^<>\n]+)>/g, (_, inner) => {
    tokens.push(inner);
    return `\uE001${tokens.length - 1}\uE001`;
  });
  let html = escapeHtml(unescapeSlack(source));
  html = html
    .replace(/`([^`\n]+)`/g, "<code>$1</code>")
    .replace(/\*\*([^*\n]+)\*\*/g, "<strong>$1</strong>")
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,!?:;])/g, "$1<strong>$2</strong>")
    .replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s).,!?:;])/g, "$1<em>$2</em>")
    .replace(/(^|[\s(])~([^~\n]+)~(?=$|[\s).,!?:;])/g, "$1<del>$2</del>")
    .replace(/^&gt; ?(.*)$/gm, "<blockquote>$1</blockquote>")
    .replace(/:([a-z0-9_+-]+):/g, (whole, name) => (EMOJI[name] ? EMOJI[name] : whole))
    .replace(/\n/g, "<br>");
  html = html.replace(/\uE001(\d+)\uE001/g, (_, index) =>
    renderToken(tokens[Number(index)], nameOf),
  );
  return html.replace(
    /\uE000(\d+)\uE000/g,
    (_, index) => `<pre><code>${escapeHtml(unescapeSlack(codeBlocks[Number(index)]))}</code></pre>`,
  );
}

function renderToken(inner, nameOf) {
  const [target, label] = inner.split("|", 2);
  if (target.startsWith("@")) {
    const name = label ?? nameOf(target.slice(1));
    return `<span class="mention">@${escapeHtml(name)}</span>`;
  }
  if (target.startsWith("#"))
    return `<span class="mention">#${escapeHtml(label ?? target.slice(1))}</span>`;
  if (target.startsWith("!")) return `<span class="mention">@${escapeHtml(target.slice(1))}</span>`;
  if (/^(https?:|mailto:)/i.test(target)) {
    const href = escapeHtml(target);
    return `<a href="${href}" target="_blank" rel="noopener noreferrer">${escapeHtml(label ?? target)}</a>`;
  }
  return escapeHtml(`<${inner}>`);
}

/** Plain text of Block Kit blocks, for App Home views and block-only messages. */
export function blocksText(blocks) {
  if (!Array.isArray(blocks)) return "";
  const lines = [];
  for (const block of blocks) {
    if (block?.text?.text) lines.push(block.text.text);
    for (const field of block?.fields ?? []) if (field?.text) lines.push(field.text);
    for (const element of block?.elements ?? []) {
      if (typeof element?.text === "string") lines.push(element.text);
      else if (element?.text?.text) lines.push(element.text.text);
    }
  }
  return lines.join("\n");
}

/** "14:05" for a Slack ts, in the viewer's time zone. */
export function timeOf(ts) {
  const date = new Date(Number(ts) * 1000);
  return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

/** Full date and time, for the time element's title. */
export function dateTimeOf(ts) {
  return new Date(Number(ts) * 1000).toISOString();
}

/** Slack-ts ordering (string order breaks when digit counts differ). */
export function compareTs(a, b) {
  const [aSeconds, aFraction = ""] = a.split(".");
  const [bSeconds, bFraction = ""] = b.split(".");
  const bySeconds = Number(aSeconds) - Number(bSeconds);
  if (bySeconds !== 0) return bySeconds;
  return Number(aFraction.padEnd(6, "0")) - Number(bFraction.padEnd(6, "0"));
}
