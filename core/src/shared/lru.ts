/**
 * A least-recently-used map bounded by its number of entries and by their total weight (any
 * measure the caller gives, e.g. approximate bytes). A Map iterates in insertion order, so moving
 * an entry to the end on use keeps the least recently used one first: lookups, inserts and each
 * eviction are O(1).
 */

export interface LruOptions<V> {
  /** Entries kept at most (≥ 1). */
  maxEntries: number;
  /** Total weight kept at most; default unbounded. */
  maxWeight?: number;
  /** An entry's weight (a finite number ≥ 0); default 1. Read once, when the entry is set. */
  weigh?: (value: V) => number;
}

interface Slot<V> {
  value: V;
  weight: number;
}

export class LruCache<K, V> {
  private readonly slots = new Map<K, Slot<V>>();
  private readonly maxEntries: number;
  private readonly maxWeight: number;
  private readonly weigh: (value: V) => number;
  private totalWeight = 0;

  constructor(options: LruOptions<V>) {
    if (!(Number.isInteger(options.maxEntries) && options.maxEntries >= 1)) {
      throw new RangeError(`maxEntries must be an integer ≥ 1, got ${options.maxEntries}`);
    }
    const maxWeight = options.maxWeight ?? Number.POSITIVE_INFINITY;
    if (!(maxWeight > 0)) throw new RangeError(`maxWeight must be > 0, got ${maxWeight}`);
    this.maxEntries = options.maxEntries;
    this.maxWeight = maxWeight;
    this.weigh = options.weigh ?? (() => 1);
  }

  /** Entries held. */
  get size(): number {
    return this.slots.size;
  }

  /** Their total weight. */
  get weight(): number {
    return this.totalWeight;
  }

  /** The value, marked as the most recently used. */
  get(key: K): V | undefined {
    const slot = this.slots.get(key);
    if (!slot) return undefined;
    this.slots.delete(key);
    this.slots.set(key, slot);
    return slot.value;
  }

  /** The value, leaving the order alone. */
  peek(key: K): V | undefined {
    return this.slots.get(key)?.value;
  }

  has(key: K): boolean {
    return this.slots.has(key);
  }

  /**
   * Stores the value as the most recently used, then evicts the least recently used entries
   * until both bounds hold. A value heavier than `maxWeight` on its own is not kept (and any
   * older value under its key goes): false then.
   */
  set(key: K, value: V): boolean {
    const weight = this.weigh(value);
    if (!(Number.isFinite(weight) && weight >= 0)) {
      throw new RangeError(`an entry's weight must be a finite number ≥ 0, got ${weight}`);
    }
    this.delete(key);
    if (weight > this.maxWeight) return false;
    this.slots.set(key, { value, weight });
    this.totalWeight += weight;
    while (this.slots.size > this.maxEntries || this.totalWeight > this.maxWeight) {
      const oldest = this.slots.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
    }
    return true;
  }

  delete(key: K): boolean {
    const slot = this.slots.get(key);
    if (!slot) return false;
    this.slots.delete(key);
    this.totalWeight -= slot.weight;
    return true;
  }

  /** Deletes every entry the predicate picks; returns how many went. */
  deleteWhere(pick: (key: K, value: V) => boolean): number {
    let deleted = 0;
    for (const [key, slot] of this.slots) {
      if (pick(key, slot.value) && this.delete(key)) deleted += 1;
    }
    return deleted;
  }

  clear(): void {
    this.slots.clear();
    this.totalWeight = 0;
  }

  /** Keys from the least to the most recently used. */
  keys(): K[] {
    return [...this.slots.keys()];
  }
}
