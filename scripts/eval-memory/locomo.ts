/**
 * LoCoMo-format files (see the data's README): conversations of dated sessions of turns, and
 * questions whose evidence names the turns that answer them. Parsed with valibot so a malformed
 * file fails with the path of what is wrong, and normalised the way the dataset's README says:
 * evidence ids split on ';' and spaces, "D:11:26" read as "D11:26", leading zeros dropped from
 * turn numbers, ids not in the conversation dropped, questions left without evidence skipped.
 */
import * as v from "valibot";

const TurnSchema = v.object({
  speaker: v.string(),
  dia_id: v.string(),
  text: v.string(),
  blip_caption: v.optional(v.nullable(v.string())),
});

const QaSchema = v.object({
  question: v.string(),
  evidence: v.optional(v.array(v.string()), []),
  category: v.number(),
});

const ConversationSchema = v.object({
  sample_id: v.string(),
  conversation: v.record(v.string(), v.unknown()),
  qa: v.array(QaSchema),
});

const FileSchema = v.array(ConversationSchema);

export interface Turn {
  /** "D3:14" */
  id: string;
  speaker: string;
  /** The turn as a message: its text plus its image caption, if any. */
  text: string;
  postedAt: Date;
  /** Position in the whole conversation, 0-based. */
  order: number;
}

export interface Question {
  question: string;
  category: number;
  /** Normalised evidence ids, all present in the conversation. */
  evidence: string[];
}

export interface Conversation {
  id: string;
  speakers: string[];
  turns: Turn[];
  questions: Question[];
}

const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

/** "1:56 pm on 8 May, 2023" as a UTC date; undefined when it does not read. */
export function parseSessionDate(text: string): Date | undefined {
  const match = /(\d{1,2}):(\d{2})\s*(am|pm)\s+on\s+(\d{1,2})\s+([A-Za-z]+),?\s+(\d{4})/i.exec(
    text,
  );
  if (!match) return undefined;
  const [, hour, minute, half, day, monthName, year] = match;
  const month = MONTHS.indexOf((monthName ?? "").toLowerCase());
  if (month < 0) return undefined;
  const hours = (Number(hour) % 12) + ((half ?? "").toLowerCase() === "pm" ? 12 : 0);
  return new Date(Date.UTC(Number(year), month, Number(day), hours, Number(minute)));
}

/** One evidence entry as the ids it names, normalised ("D:11:26" -> "D11:26", "D3:05" -> "D3:5"). */
export function normaliseEvidence(entry: string): string[] {
  return entry
    .split(/[;\s]+/)
    .map((id) => id.trim())
    .filter((id) => id !== "")
    .map((id) => {
      const match = /^D:?(\d+):(\d+)$/i.exec(id);
      return match ? `D${Number(match[1])}:${Number(match[2])}` : id;
    });
}

function sessionNumbers(conversation: Record<string, unknown>): number[] {
  return Object.keys(conversation)
    .map((key) => /^session_(\d+)$/.exec(key)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** Parses and normalises a LoCoMo-format file's JSON; throws with the offending path. */
export function parseLocomo(json: unknown): Conversation[] {
  const parsed = v.safeParse(FileSchema, json);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const path = v.getDotPath(issue) ?? "(root)";
    throw new Error(`not a LoCoMo-format file: at ${path}: ${issue.message}`);
  }
  return parsed.output.map((raw) => {
    const turns: Turn[] = [];
    let previous = 0;
    for (const n of sessionNumbers(raw.conversation)) {
      const session = v.safeParse(v.array(TurnSchema), raw.conversation[`session_${n}`]);
      if (!session.success) {
        throw new Error(
          `not a LoCoMo-format file: ${raw.sample_id} session_${n} is not a list of turns`,
        );
      }
      const dateText = raw.conversation[`session_${n}_date_time`];
      // Sessions without a readable date follow the previous one by a day.
      const start =
        (typeof dateText === "string" ? parseSessionDate(dateText)?.getTime() : undefined) ??
        previous + 86_400_000;
      previous = start;
      session.output.forEach((turn, index) => {
        const caption = turn.blip_caption ? ` [image: ${turn.blip_caption}]` : "";
        turns.push({
          id: normaliseEvidence(turn.dia_id)[0] ?? turn.dia_id,
          speaker: turn.speaker,
          text: `${turn.text}${caption}`,
          // A turn a few seconds after the last keeps the session's order in time.
          postedAt: new Date(start + index * 5_000),
          order: turns.length,
        });
      });
    }
    const known = new Set(turns.map((turn) => turn.id));
    const questions: Question[] = [];
    for (const qa of raw.qa) {
      const evidence = [...new Set(qa.evidence.flatMap(normaliseEvidence))].filter((id) =>
        known.has(id),
      );
      if (evidence.length > 0) {
        questions.push({ question: qa.question, category: qa.category, evidence });
      }
    }
    const speakers = [...new Set(turns.map((turn) => turn.speaker))];
    return { id: raw.sample_id, speakers, turns, questions };
  });
}
