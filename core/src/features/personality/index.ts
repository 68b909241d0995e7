// The personality feature: pup's persona, its mood per conversation (moved by how people treat
// it, kept by compare-and-set), the tone rules admins set, and `/pup mood` and `/pup tone`.
export { countingTransitions } from "./counting-transitions";
export type { MoodCommandDeps, MoodDeps, PersonalityDeps } from "./deps";
export { moodCommand, toneCommand } from "./mood-commands";
export {
  moodForReaction,
  moodOfConversation,
  REPEAT_HINT,
  type ReplyMood,
} from "./mood-signals";
export { DEFAULT_MOOD_STYLES, MOODS, type Persona } from "./persona";
export { PersonaError, parsePersona } from "./persona-file-format";
export { composeSystemPersona, OPENERS_LINE_PREFIX } from "./persona-prompt";
export { isQuestion } from "./question-shape";
export { afterword, replyMood, showMood } from "./reply-mood";
export { analyzeSentiment } from "./sentiment";
export {
  DEFAULT_PERSONALITY_SETTINGS,
  type MoodIndicator,
  type PersonalitySettings,
  tunedPersonality,
} from "./settings";
