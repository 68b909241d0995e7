/**
 * The output filter over a stream. A model streams in pieces of a few characters, so a token,
 * a `<!channel>` or a link can arrive split across two appends, and filtering each piece alone
 * would pass both halves. The stream holds back its tail and releases text only up to a safe
 * cut: just after whitespace, outside any `<…>` entity, markdown link or inline code that is still
 * open. Nothing the filter looks for spans such a cut (tokens, mentions and URLs contain no
 * whitespace; entities and links are held until they close), so filtering the released text
 * piece by piece catches everything filtering the whole would.
 */
import { type FilterState, filterOutput, type OutputPolicy } from "./output-filter";

/** Filters a stream of text; `push` what arrives, `flush` at the end. */
export class OutputStreamFilter {
  #pending = "";
  #state: FilterState = { inFence: false };

  constructor(private readonly policy: OutputPolicy) {}

  /** Adds text; returns the filtered text that can be released now (often ""). */
  push(text: string): string {
    this.#pending += text;
    const cut = safeCut(this.#pending);
    if (cut === 0) return "";
    const head = this.#pending.slice(0, cut);
    this.#pending = this.#pending.slice(cut);
    return this.#filter(head);
  }

  /** Releases whatever is held (the stream ended), filtered. */
  flush(): string {
    const rest = this.#pending;
    this.#pending = "";
    return rest === "" ? "" : this.#filter(rest);
  }

  #filter(text: string): string {
    const filtered = filterOutput(text, this.policy, this.#state);
    this.#state = filtered.state;
    return filtered.text;
  }
}

/**
 * The longest prefix of `text` that can be filtered on its own: it ends just after a whitespace
 * character at which no entity (`<`), markdown link (`[`, `](`) or inline code span is open.
 * 0 when there is none yet.
 */
export function safeCut(text: string): number {
  let cut = 0;
  let inFence = false;
  let inInline = false;
  let openAngle = false;
  let openLink = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (text.startsWith("```", i)) {
      inFence = !inFence;
      inInline = false;
      i += 2;
      continue;
    }
    if (char === "\n") {
      // Entities, links and inline code never span a line break (the filter's patterns agree).
      inInline = false;
      openAngle = false;
      openLink = false;
      cut = i + 1;
      continue;
    }
    if (char === "`" && !inFence) inInline = !inInline;
    else if (char === "<") openAngle = true;
    else if (char === ">") openAngle = false;
    else if (char === "[" && !inFence && !inInline) openLink = true;
    else if (char === ")" && openLink) openLink = false;
    else if (openLink && char === "]" && text[i + 1] !== "(" && i + 1 < text.length) {
      openLink = false;
    }
    if (/\s/.test(char ?? "") && !openAngle && !openLink && !inInline) cut = i + 1;
  }
  return cut;
}
