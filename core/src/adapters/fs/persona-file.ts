/**
 * Reads pup's persona file at start (PUP_PERSONA_FILE, else the committed core/persona/pup.json)
 * and checks it with the domain's schema. Every failure, from a missing file to a bad field,
 * becomes one PersonaError naming the file, so core refuses to start with a message that says
 * what to fix.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { type Persona, PersonaError, parsePersona } from "../../features/personality";

/** The persona committed with pup. */
export const DEFAULT_PERSONA_FILE = fileURLToPath(
  new URL("../../../persona/pup.json", import.meta.url),
);

/**
 * Loads and checks a persona file; a relative `path` is taken from the working directory.
 * @throws {PersonaError} when the file cannot be read, is not JSON, or breaks the format.
 */
export async function loadPersona(path?: string): Promise<Persona> {
  const file = path ?? DEFAULT_PERSONA_FILE;
  const label = `persona file ${file}`;
  let raw: string;
  try {
    raw = await readFile(file, "utf8");
  } catch (error) {
    throw new PersonaError(label, [{ path: "", message: unreadable(error) }]);
  }
  let json: unknown;
  try {
    // Some editors start UTF-8 files with a byte-order mark, which JSON.parse refuses.
    json = JSON.parse(raw.replace(/^\uFEFF/, ""));
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new PersonaError(label, [{ path: "", message: `not valid JSON (${detail})` }]);
  }
  return parsePersona(json, label);
}

/** Why a file could not be read, in words (the errno code alone means little to most people). */
function unreadable(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ENOENT") return "cannot be read: no such file";
  if (code === "EISDIR") return "cannot be read: it is a directory";
  if (code === "EACCES") return "cannot be read: permission denied";
  return `cannot be read (${error instanceof Error ? error.message : String(error)})`;
}
