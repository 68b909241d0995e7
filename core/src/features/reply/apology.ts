// What pup says in its own voice when it cannot answer. Who pup is lives in the persona file
// (core/persona/pup.json, see core/src/features/personality/persona.ts).

/** What pup says, once per conversation, when its model is down or too slow. */
export const MODEL_DOWN_APOLOGY =
  "Sorry, my head is foggy right now and I can't think this through. Give me a little while " +
  "and ask me again? :dog:";
