/**
 * Types for the English language module of the `sentiment` package, which @types/sentiment does
 * not cover. pup copies its AFINN-165 labels (with the library's emoji scores already merged in)
 * into a language of its own; see sentiment.ts.
 */
declare module "sentiment/languages/en/index.js" {
  const english: { labels: Readonly<Record<string, number>> };
  export default english;
}
