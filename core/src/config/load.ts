/**
 * Runs a process's configuration schema over its environment once, at the entry, and either
 * returns the typed configuration or throws a ConfigError listing every problem.
 */
import * as v from "valibot";
import { ConfigError, type ConfigProblem } from "../shared/errors";

/** The environment as a process sees it (`process.env` fits). */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * A configuration schema: a valibot object over environment variable names, optionally piped
 * into cross-field checks and a transform to the process's nested config shape.
 */
export type ConfigSchema<TOutput> = v.GenericSchema<Record<string, unknown>, TOutput> & {
  readonly entries: Readonly<Record<string, unknown>>;
};

/** Turns valibot issues into one problem per variable, in the order they were found. */
export function toProblems(issues: readonly v.BaseIssue<unknown>[]): ConfigProblem[] {
  return issues.map((issue) => ({
    variable: v.getDotPath(issue) ?? "(configuration)",
    message: issue.message,
  }));
}

/**
 * Parses `env` with `schema`.
 *
 * Only the variables the schema names are read, and each of them is passed even when unset, so
 * every field runs its own "required" rule and reports in its own words.
 *
 * @throws {ConfigError} listing every missing or malformed variable.
 */
export function loadConfig<TOutput>(schema: ConfigSchema<TOutput>, env: Environment): TOutput {
  const input: Record<string, string | undefined> = {};
  for (const name of Object.keys(schema.entries)) input[name] = env[name];
  const result = v.safeParse(schema, input);
  if (!result.success) throw new ConfigError(toProblems(result.issues));
  return result.output;
}
