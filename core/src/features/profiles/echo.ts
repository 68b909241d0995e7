/**
 * "A fact pup recalled and the user merely repeated back": pup says "you live in Lisbon", the
 * person answers "yes, I live in Lisbon". That is no new evidence, so it must not become a new
 * source (nor, through the model, a new fact). A statement is an echo when the turn just before
 * it in the conversation was pup's and named the fact's value, and the fact is already current.
 * A restatement without pup prompting it is evidence: it adds a source. Pure.
 */
import type { ProfileFact } from "../../ports/profile-store";
import { sameFact } from "./same-fact";

/** Words of a fact's sentence that are template, not value ("lives in", "is a", "likes"). */
const TEMPLATE = new Set(
  "lives in is a an the likes to be called works at prefers favourite does not like answers".split(
    " ",
  ),
);

/** The value words of a fact: "lives in New York" -> ["new", "york"]. */
export function valueWords(fact: string): string[] {
  return fact
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0 && !TEMPLATE.has(word));
}

/** True when pup's turn names every value word of `fact` (whole words). */
export function pupSaid(fact: string, pupText: string): boolean {
  const said = new Set(pupText.toLowerCase().split(/[^\p{L}\p{N}]+/u));
  const words = valueWords(fact);
  return words.length > 0 && words.every((word) => said.has(word));
}

/** True when stating `fact` right after pup's `pupBefore` only repeats a current fact back. */
export function isEcho(
  fact: { subject: string; fact: string },
  pupBefore: string | null,
  current: readonly Pick<ProfileFact, "subject" | "fact">[],
): boolean {
  if (pupBefore === null) return false;
  const known = current.some((c) => c.subject === fact.subject && sameFact(c.fact, fact.fact));
  return known && pupSaid(fact.fact, pupBefore);
}
