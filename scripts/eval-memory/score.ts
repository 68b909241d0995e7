/**
 * How the memory evaluation scores what recall offers. Recall offers items: a message, or a
 * derived memory (a summary line, a profile fact) that stands for the messages it was drawn
 * from. An item recalls its sources, so recall@k is the share of a question's evidence turns
 * among the sources of the first k items (ADR-031). A message is its own one source.
 */

export type RecalledKind = "message" | "summary" | "fact";

export interface RecalledItem {
  kind: RecalledKind;
  /** The evidence ids ("D3:14") of the turns it stands for. */
  sources: string[];
}

/** Messages as items, each its own source; "" (not a turn) recalls nothing. */
export function messageItems(turnIds: string[]): RecalledItem[] {
  return turnIds.map((id) => ({ kind: "message", sources: id === "" ? [] : [id] }));
}

/** |gold ∩ sources of the first k items| / |gold| */
export function recallAt(k: number, items: RecalledItem[], gold: string[]): number {
  const recalled = new Set(items.slice(0, k).flatMap((item) => item.sources));
  return gold.filter((id) => recalled.has(id)).length / gold.length;
}

/**
 * What derived items cost in the first k slots: how many there were and how many sources each
 * stood for on average (a summary of a whole session recalling fifty turns in one slot would
 * make recall@k meaningless, so the report shows it beside the scores).
 */
export function derivedShare(k: number, items: RecalledItem[]): { items: number; sources: number } {
  const derived = items.slice(0, k).filter((item) => item.kind !== "message");
  return {
    items: derived.length,
    sources: derived.reduce((n, item) => n + item.sources.length, 0),
  };
}
