/**
 * A canary for the system prompt: a random marker no one but the prompt knows. If it ever shows
 * up in what pup is about to post, the model was talked into repeating its instructions, and the
 * output filter removes it (with configured secrets). One per process, made by the composition
 * root; never logged.
 */

/** A fresh canary, e.g. `pup-canary-3f9c…` (128 random bits). */
export function newPromptCanary(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `pup-canary-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}
