// Word features shared by the offline embedder and the offline responder: lowercased words,
// common English stop words dropped, a crude plural fold, so "cats" and "cat" meet.

/** Frequent English words that say little about what a message is about. */
const STOP_WORDS = new Set(
  (
    "a about above after again against all am an and any are as at be because been before being " +
    "below between both but by can could did do does doing down during each few for from further " +
    "had has have having he her here hers herself him himself his how i if in into is it its " +
    "itself just me more most my myself no nor not now of off on once only or other our ours " +
    "ourselves out over own same she should so some such than that the their theirs them " +
    "themselves then there these they this those through to too under until up very was we were " +
    "what when where which while who whom why will with would you your yours yourself " +
    "yourselves im ive id ill youre dont doesnt didnt isnt wasnt cant wont s t d ll m re ve " +
    "hey hi hello please thanks thank ok okay yes yeah also really pup"
  ).split(" "),
);

const WORD = /[\p{L}\p{N}]+/gu;

/** Lowercased words of `text` in order, apostrophes folded (`don't` -> `dont`). */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().replace(/['’]/g, "").match(WORD) ?? [];
}

/** A light normal form: plural `s` dropped from longer words (`cats` -> `cat`, not `is`). */
export function foldWord(word: string): string {
  if (word.length > 3 && word.endsWith("s") && !word.endsWith("ss")) return word.slice(0, -1);
  return word;
}

export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}

/** Words that carry meaning: stop words dropped, plurals folded. */
export function contentWords(text: string): string[] {
  return wordsOf(text)
    .filter((word) => !isStopWord(word))
    .map(foldWord);
}

/** Rough token count (a word or one punctuation mark), close to what BPE models report. */
export function roughTokenCount(text: string): number {
  return text.match(/[\p{L}\p{N}_]+|[^\p{L}\p{N}_\s]/gu)?.length ?? 0;
}
