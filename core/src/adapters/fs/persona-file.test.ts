import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pupFile from "../../../persona/pup.json";
import { loadCoreConfig } from "../../config/core";
import { PersonaError, parsePersona } from "../../features/personality/persona-file-format";
import { DEFAULT_PERSONA_FILE, loadPersona } from "./persona-file";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pup-persona-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

/** The message loadPersona's PersonaError carries for `path`. */
async function failure(path: string): Promise<string> {
  try {
    await loadPersona(path);
  } catch (error) {
    expect(error).toBeInstanceOf(PersonaError);
    return (error as Error).message;
  }
  throw new Error("expected loadPersona to fail");
}

describe("loadPersona", () => {
  test("without a path it loads the committed core/persona/pup.json", async () => {
    expect(DEFAULT_PERSONA_FILE.endsWith(join("core", "persona", "pup.json"))).toBe(true);
    expect(await loadPersona()).toEqual(parsePersona(pupFile));
  });

  test("loads the file PUP_PERSONA_FILE names", async () => {
    const path = await write("team.json", JSON.stringify({ ...pupFile, name: "Rex" }));
    const config = loadCoreConfig({
      SLACK_BOT_TOKEN: "xoxb-1111-2222-bot-token-value",
      CORE_SHARED_SECRET: "s3cr3t-shared-between-edge-and-core",
      PUP_PERSONA_FILE: path,
    });
    const persona = await loadPersona(config.personality.personaFile);
    expect(persona.name).toBe("Rex");
    expect(persona.traits).toEqual(parsePersona(pupFile).traits);
  });

  test("a missing file is named in the error", async () => {
    const path = join(dir, "nope.json");
    expect(await failure(path)).toBe(`persona file ${path}: cannot be read: no such file`);
    expect(await failure(dir)).toBe(`persona file ${dir}: cannot be read: it is a directory`);
  });

  test("a file that is not JSON is named, with the parser's complaint", async () => {
    const path = await write("broken.json", '{ "name": "pup", ');
    expect(await failure(path)).toStartWith(`persona file ${path}: not valid JSON (`);
    // A byte-order mark from an editor is not a mistake.
    const marked = await write("bom.json", `\uFEFF${JSON.stringify(pupFile)}`);
    expect(await loadPersona(marked)).toEqual(parsePersona(pupFile));
  });

  test("invalid content lists every problem, each with the file and the field", async () => {
    const path = await write(
      "invalid.json",
      JSON.stringify({ ...pupFile, traits: [], emoji: { max: 9, favourites: [] } }),
    );
    expect((await failure(path)).split("\n")).toEqual([
      `persona file ${path}: traits: expected a non-empty list`,
      `persona file ${path}: emoji.max: expected a whole number from 0 to 5, got 9`,
    ]);
  });
});
