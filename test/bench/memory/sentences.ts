/**
 * Sentences for the memory benchmark's chat: templates filled from small word lists, so messages
 * about one subject share words (what both the embedder and full-text search key on) without
 * being copies of each other.
 */

const words = (list: string) => list.split(" ");

const NOUNS = words(
  "doc plan meeting spreadsheet draft deadline script issue question update estimate report " +
    "demo checklist thread sync notes review calendar laptop",
);
const VERBS: [string, string][] = [
  ["review", "reviewed"],
  ["ship", "shipped"],
  ["fix", "fixed"],
  ["update", "updated"],
  ["check", "checked"],
  ["move", "moved"],
  ["test", "tested"],
  ["cancel", "cancelled"],
  ["share", "shared"],
  ["finish", "finished"],
  ["schedule", "scheduled"],
  ["approve", "approved"],
];
const ADJECTIVES = words("flaky slow broken great urgent weird late huge tiny risky solid messy");
const WHEN = words("today tomorrow tonight monday friday soon later asap").concat([
  "next week",
  "after lunch",
  "this morning",
  "before the weekend",
]);
/** Short replies, as common in chat as they are useless to recall. */
export const REACTIONS = [
  "lol",
  "thanks!",
  "+1",
  "sounds good",
  "on it",
  "nice",
  "haha yes",
  "agreed",
];

/** Picks one item of a list (uniformly, from a seeded generator). */
export type Pick = <T>(list: readonly T[]) => T;

/** One chat message about some of `topics`, possibly addressing `person`. */
export function chatMessage(pick: Pick, topics: readonly string[], person: string): string {
  const topic = pick(topics);
  const other = pick(topics);
  const noun = pick(NOUNS);
  const [verb, past] = pick(VERBS);
  const templates = [
    () => `can someone ${verb} the ${topic} ${noun} ${pick(WHEN)}?`,
    () => `the ${topic} ${noun} is ${pick(ADJECTIVES)} again, ${person} any idea why?`,
    () => `I ${past} the ${noun} for ${topic}, next up is the ${other}`,
    () => `@${person} did you ${verb} the ${topic} ${other} yet?`,
    () => `${topic} ${noun} looks ${pick(ADJECTIVES)}; let's ${verb} it ${pick(WHEN)}`,
    () => `reminder: ${topic} ${noun} ${pick(WHEN)}, bring the ${other} ${pick(NOUNS)}`,
    () => `${person} thinks we should ${verb} the ${noun} before the ${topic} ${other}`,
    () => `just ${past} the ${topic} and the ${other}. ${pick(ADJECTIVES)} ${noun} though`,
  ];
  return pick(templates)();
}

/** A question someone might ask pup: mostly about the asking channel's own subjects. */
export function question(pick: Pick, topics: readonly string[], person: string): string {
  const topic = pick(topics);
  const noun = pick(NOUNS);
  const [verb, past] = pick(VERBS);
  const templates = [
    () => `what did we decide about the ${topic} ${noun}?`,
    () => `who ${past} the ${topic} ${noun} last time?`,
    () => `when do we ${verb} the ${topic}?`,
    () => `what did ${person} say about the ${pick(ADJECTIVES)} ${topic}?`,
    () => `remind me what happened with the ${topic} ${pick(topics)}`,
  ];
  return pick(templates)();
}

export function chooser(random: () => number): Pick {
  return (list) => list[Math.floor(random() * list.length)] as (typeof list)[number];
}
