// Port: tells every process of pup to drop its working-memory copies of some channels (after a
// "forget"), so nothing forgotten stays even in another process's RAM (ADR-034). Redis pub/sub in
// production; in-process for the demo. A subscriber that may have missed notices (a reconnect)
// is told so and drops everything: working memory is only a cache.

export interface ForgetNotice {
  teamId: string;
  /** Channels to drop; empty means every channel of the workspace. */
  channelIds: string[];
}

export interface MemoryBus {
  publish(notice: ForgetNotice): Promise<void>;
  /**
   * Calls `onNotice` for every notice published by any process (this one included), and
   * `onGap` whenever notices may have been missed. Returns the unsubscribe.
   */
  subscribe(handlers: {
    onNotice(notice: ForgetNotice): void;
    onGap(): void;
  }): Promise<() => Promise<void>>;
}
