/**
 * A tiny LoCoMo-format file written for the evaluation's tests (none of the real dataset): two
 * conversations of two dated sessions, and questions whose evidence takes the odd forms the real
 * file has ("D:2:1", "D1:03; D2:1", ids not in the conversation, none at all).
 */

export interface SyntheticTurn {
  speaker: string;
  dia_id: string;
  text: string;
  img_url?: string[];
  blip_caption?: string;
  query?: string;
}

export interface SyntheticQa {
  question: string;
  answer?: string;
  adversarial_answer?: string;
  evidence?: string[];
  category: number;
}

export interface SyntheticConversation {
  sample_id: string;
  conversation: Record<string, string | SyntheticTurn[]>;
  qa: SyntheticQa[];
  observation?: Record<string, unknown>;
  session_summary?: Record<string, string>;
  event_summary?: Record<string, unknown>;
}

/** A session's turns from [speaker, text] or [speaker, text, image caption]. */
const turns = (session: number, lines: [string, string, string?][]): SyntheticTurn[] =>
  lines.map(([speaker, text, caption], i) => ({
    speaker,
    dia_id: `D${session}:${i + 1}`,
    text,
    ...(caption
      ? { img_url: ["https://example.invalid/photo.jpg"], blip_caption: caption, query: "photo" }
      : {}),
  }));

/** The scored questions (categories 1-4 with evidence left): 2 + 1 + 1 + 2 by category. */
export const SCORED_QUESTIONS = { "1": 2, "2": 1, "3": 1, "4": 2 } as const;

export const SYNTHETIC_LOCOMO: SyntheticConversation[] = [
  {
    sample_id: "synthetic-garden",
    conversation: {
      speaker_a: "Ada",
      speaker_b: "Bruno",
      session_1_date_time: "2:05 pm on 3 March, 2022",
      session_1: turns(1, [
        ["Ada", "Morning Bruno! How was the weekend?"],
        ["Bruno", "Busy. I repainted the garden shed a deep green."],
        ["Ada", "Nice. I finally bought a cello after years of wanting one."],
        ["Bruno", "A cello! Are you taking lessons?"],
        ["Ada", "Yes, every Thursday with a teacher called Mireille."],
        [
          "Bruno",
          "My sister and I went hiking in the Dolomites last month.",
          "a snowy mountain ridge under a blue sky",
        ],
        ["Ada", "That sounds wonderful. Did you camp?"],
        ["Bruno", "We stayed in a mountain hut near the pass."],
      ]),
      session_2_date_time: "10:30 am on 12 April, 2022",
      session_2: turns(2, [
        ["Ada", "I played my first recital piece today."],
        ["Bruno", "Congratulations! Which piece?"],
        ["Ada", "A short sarabande by Bach, slowly."],
        ["Bruno", "We adopted a rescue greyhound named Pixel."],
        ["Ada", "Pixel is a great name for a dog."],
        ["Bruno", "She sleeps most of the day on the sofa."],
        ["Ada", "Greyhounds are famously lazy indoors."],
        ["Bruno", "True, but she sprints like a rocket in the park."],
      ]),
    },
    qa: [
      {
        question: "Where did Bruno go hiking with his sister?",
        answer: "The Dolomites",
        evidence: ["D1:6"],
        category: 3,
      },
      {
        question: "When did Ada play her first recital piece?",
        answer: "12 April 2022",
        evidence: ["D:2:1"],
        category: 2,
      },
      {
        question: "Which instrument does Ada play in recitals, and who teaches her?",
        answer: "The cello, with Mireille",
        evidence: ["D1:03; D2:1", "D1:5"],
        category: 1,
      },
      {
        question: "What colour is Bruno's car?",
        answer: "Not mentioned",
        evidence: ["D9:9"],
        category: 4,
      },
      {
        question: "What did Ada name her greyhound?",
        adversarial_answer: "Pixel",
        evidence: ["D2:4"],
        category: 5,
      },
      {
        question: "How does Bruno feel about Mondays?",
        answer: "Unknown",
        evidence: [],
        category: 4,
      },
      {
        question: "What is the name of Bruno's dog?",
        answer: "Pixel",
        evidence: ["D2:4", "D7:1"],
        category: 4,
      },
    ],
    observation: { session_1_observation: {} },
    session_summary: { session_1_summary: "Derived text the evaluation must not read." },
    event_summary: {},
  },
  {
    sample_id: "synthetic-lab",
    conversation: {
      speaker_a: "Chen",
      speaker_b: "Dana",
      // Sessions out of order in the object: the number decides.
      session_2_date_time: "4:40 pm on 2 August, 2023",
      session_2: turns(2, [
        ["Dana", "Lisbon was hot, and my talk went well."],
        ["Chen", "Glad to hear it. Any good questions?"],
        ["Dana", "Someone asked how we store the samples."],
        ["Chen", "The technician replaced the centrifuge motor."],
        ["Dana", "Finally, some quiet in room four."],
        ["Chen", "I baked a rye loaf for the lab meeting.", "a round loaf of bread on a board"],
        ["Dana", "It vanished in ten minutes."],
        ["Chen", "Next time I will bake two."],
      ]),
      session_1_date_time: "9:15 am on 20 June, 2023",
      session_1: turns(1, [
        ["Chen", "Dana, the centrifuge in room four is humming again."],
        ["Dana", "I will call the technician this afternoon."],
        ["Chen", "Also, my bread starter finally doubled overnight."],
        ["Dana", "Sourdough at last! What flour are you using?"],
        ["Chen", "A mix of rye and spelt from the market."],
        ["Dana", "I am flying to Lisbon for the conference in July."],
        ["Chen", "Bring back some pastel de nata."],
        ["Dana", "Only if they survive the flight."],
      ]),
    },
    qa: [
      {
        question: "Which city did Dana fly to for the conference?",
        answer: "Lisbon",
        evidence: ["D1:6", "D2:1"],
        category: 4,
      },
      {
        question: "What part of the centrifuge was replaced?",
        answer: "The motor",
        evidence: ["D2:4"],
        category: 1,
      },
      { question: "Which flours does Chen bake with?", answer: "Rye and spelt", category: 2 },
    ],
  },
];
