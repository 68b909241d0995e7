/** Runs one acceptance load in a child `bun` process (see load.ts) and returns its result. */
import { join } from "node:path";
import { runJsonChild } from "../child-process";
import type { AcceptancePlan, AcceptanceResult } from "./plan";

const GENERATOR = join(import.meta.dir, "load.ts");

export function runAcceptanceLoad(plan: AcceptancePlan): Promise<AcceptanceResult> {
  return runJsonChild<AcceptanceResult>(GENERATOR, plan, "acceptance");
}
