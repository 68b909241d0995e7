/**
 * The offline extractor: first-person statements about oneself, read with a few patterns, so
 * profiles work without a model and tests have a deterministic extractor. It prefers missing a
 * fact to inventing one: only a sentence (or clause after "and"/"but") that starts with the
 * statement counts, questions and quoted lines never do. Pure.
 */
import type { FactKind } from "../../ports/profile-store";

/** A fact read from one message (its source is that message). */
export interface StatedFact {
  kind: FactKind;
  subject: string;
  fact: string;
}

/** Words that follow "I'm a" without naming a role ("I'm a bit tired"). */
const NOT_A_ROLE = new Set(["bit", "little", "lot", "fan", "huge", "big", "tad", "good", "bad"]);
/** Fillers a statement may start with: "btw, I live in Porto", "actually I'm the designer". */
const FILLER = String.raw`^(?:(?:yes|yeah|yep|no|well|so|oh|btw|by the way|also|actually|fwiw|now|and|but|ok|okay|hi|hey)\b[\s,]*)*`;
/** A value: words up to the end of the clause. */
const VALUE = "([^,;()]{1,60}?)";
const END = String.raw`\s*(?:,.*)?$`;

/** `favourite colour` -> `favourite_colour`; `New York` -> `new_york`. */
export function subjectSlug(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 48);
}

function clean(value: string): string {
  return value
    .replace(/\s+/g, " ")
    .replace(/[\s"'*_~]+$/, "")
    .trim();
}

type Rule = (clause: string) => StatedFact | undefined;

const answerLength: Rule = (clause) => {
  const short =
    /^(?:please\s+)?keep\s+(?:your\s+|the\s+)?(?:answers|replies|responses|it)\s+(short|brief|concise)\b/i;
  const long =
    /^(?:please\s+)?(?:give|write)\s+(?:me\s+)?(?:more\s+)?(detailed|longer|long)\s+(?:answers|replies|responses)\b/i;
  const liked =
    /^i\s+(?:like|prefer|want)\s+(short|brief|concise|detailed|long|longer)\s+(?:answers|replies|responses)\b/i;
  const match = short.exec(clause) ?? long.exec(clause) ?? liked.exec(clause);
  if (!match?.[1]) return undefined;
  const detailed = /detailed|long/i.test(match[1]);
  return {
    kind: "preference",
    subject: "preference_answer_length",
    fact: detailed ? "prefers detailed answers" : "prefers short answers",
  };
};

const rules: Rule[] = [
  answerLength,
  (clause) => {
    const match = new RegExp(`^(?:call me|my name is|i go by)\\s+${VALUE}${END}`, "i").exec(clause);
    if (!match?.[1]) return undefined;
    return {
      kind: "fact",
      subject: "preferred_name",
      fact: `likes to be called ${clean(match[1])}`,
    };
  },
  (clause) => {
    const match = new RegExp(
      `^i(?:'m| am)?\\s+(?:live|living|based|moved|now live|just moved)\\s+(?:in|to)\\s+${VALUE}${END}`,
      "i",
    ).exec(clause);
    if (!match?.[1]) return undefined;
    return { kind: "fact", subject: "home_city", fact: `lives in ${clean(match[1])}` };
  },
  (clause) => {
    const match = new RegExp(`^i\\s+(?:work|am working)\\s+(?:at|for)\\s+${VALUE}${END}`, "i").exec(
      clause,
    );
    if (!match?.[1]) return undefined;
    return { kind: "fact", subject: "employer", fact: `works at ${clean(match[1])}` };
  },
  (clause) => {
    const match = new RegExp(
      `^my\\s+(?:favou?rite)\\s+([a-z][a-z ]{0,30}?)\\s+(?:is|are)\\s+${VALUE}${END}`,
      "i",
    ).exec(clause);
    if (!match?.[1] || !match[2]) return undefined;
    const what = match[1].trim().toLowerCase();
    return {
      kind: "interest",
      subject: `favourite_${subjectSlug(what)}`,
      fact: `favourite ${what} is ${clean(match[2])}`,
    };
  },
  (clause) => {
    const match = new RegExp(`^i(?:'m| am)\\s+(?:a|an|the)\\s+${VALUE}${END}`, "i").exec(clause);
    const role = match?.[1] ? clean(match[1]) : "";
    const first = role.split(" ")[0]?.toLowerCase() ?? "";
    if (!role || NOT_A_ROLE.has(first) || role.split(" ").length > 5) return undefined;
    const article = /^i(?:'m| am)\s+(a|an|the)\b/i.exec(clause)?.[1]?.toLowerCase() ?? "a";
    return { kind: "fact", subject: "role", fact: `is ${article} ${role}` };
  },
  (clause) => {
    const match = new RegExp(
      `^i\\s+(?:don't|do not|no longer|don’t)\\s+(?:like|enjoy)\\s+${VALUE}${END}`,
      "i",
    ).exec(clause);
    if (!match?.[1]) return undefined;
    const what = clean(match[1].replace(/\s+(?:anymore|any more|these days|now)$/i, ""));
    return {
      kind: "interest",
      subject: `interest_${subjectSlug(what)}`,
      fact: `does not like ${what}`,
    };
  },
  (clause) => {
    const match = new RegExp(`^i\\s+prefer\\s+${VALUE}(?:\\s+(?:over|to)\\s+.*)?$`, "i").exec(
      clause,
    );
    if (!match?.[1]) return undefined;
    const what = clean(match[1]);
    return {
      kind: "preference",
      subject: `preference_${subjectSlug(what)}`,
      fact: `prefers ${what}`,
    };
  },
  (clause) => {
    const match = new RegExp(
      `^i\\s+(?:really\\s+)?(?:like|love|enjoy)\\s+${VALUE}${END}`,
      "i",
    ).exec(clause);
    if (!match?.[1]) return undefined;
    const what = clean(match[1]);
    return { kind: "interest", subject: `interest_${subjectSlug(what)}`, fact: `likes ${what}` };
  },
];

/** Lines quoting someone (Slack's `>` or its escaped `&gt;`): their words, not the author's. */
export function withoutQuotes(text: string): string {
  return text
    .split("\n")
    .filter((line) => !/^\s*(?:>|&gt;)/.test(line))
    .join("\n");
}

/** Clauses of a message that could state something: sentences, split again at "and"/"but". */
function clauses(text: string): string[] {
  const plain = withoutQuotes(text)
    .replace(/<[@#!][^>]*>/g, " ")
    .replace(/[’]/g, "'");
  const sentences = plain.match(/[^.!?\n]+[.!?]*/g) ?? [];
  return sentences
    .filter((sentence) => !sentence.trim().endsWith("?"))
    .flatMap((sentence) => sentence.replace(/[.!]+$/, "").split(/\s+(?:and|but)\s+(?=i\b|my\b)/i))
    .map((clause) => clause.trim().replace(new RegExp(FILLER, "i"), "").trim())
    .filter((clause) => clause.length > 0);
}

/** Facts a person states about themselves in `text` (first match per clause, subjects unique). */
export function extractStatedFacts(text: string): StatedFact[] {
  const found = new Map<string, StatedFact>();
  for (const clause of clauses(text)) {
    for (const rule of rules) {
      const fact = rule(clause);
      if (fact && fact.subject !== "" && !/_$/.test(fact.subject)) {
        found.set(fact.subject, fact);
        break;
      }
    }
  }
  return [...found.values()];
}
