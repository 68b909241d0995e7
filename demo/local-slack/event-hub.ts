/**
 * A minimal synchronous publish/subscribe hub. The local Slack uses it so a test can wait for "something
 * happened" and the demo page can stream the workspace live, without either knowing the other.
 */

/** Receives every published event, in order. */
export type Listener<Event> = (event: Event) => void;

/** Fan-out of events to the current subscribers; a throwing listener does not stop the others. */
export class EventHub<Event> {
  readonly #listeners = new Set<Listener<Event>>();

  /** Starts delivering events to `listener`; call the returned function to stop. */
  subscribe(listener: Listener<Event>): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Delivers `event` to every subscriber. */
  publish(event: Event): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        // A broken observer must not change what the API answers.
        console.error("local slack: event listener failed", error);
      }
    }
  }
}
