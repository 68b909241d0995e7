// Proves each rule in .dependency-cruiser.cjs can fail: a throwaway project with the same layout,
// the project's own config and tsconfig, and one file per violation is cruised with the real
// dependency-cruiser. The same layout holds imports the rules must allow, so the expected list of
// violations is exact. The real tree must pass.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

const repoRoot = resolve(import.meta.dir, "../..");
const depcruise = join(repoRoot, "node_modules/.bin/depcruise");

interface Violation {
  rule: string;
  from: string;
  to: string;
}

/** Runs dependency-cruiser with the project's config on "." inside `cwd`. */
async function cruise(cwd: string, reporter: "err" | "json") {
  const config = join(repoRoot, ".dependency-cruiser.cjs");
  const child = Bun.spawn([process.execPath, depcruise, "--config", config, "-T", reporter, "."], {
    cwd,
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { exitCode, output: stdout + stderr };
}

/** The violations in a JSON report, with their severity. */
function violationsIn(jsonReport: string): (Violation & { severity: string })[] {
  const report = JSON.parse(jsonReport) as {
    summary: {
      violations: { rule: { name: string; severity: string }; from: string; to: string }[];
    };
  };
  return report.summary.violations.map((v) => ({
    rule: v.rule.name,
    severity: v.rule.severity,
    from: v.from,
    to: v.to,
  }));
}

/** Source files of the throwaway project: path -> contents. */
const files: Record<string, string> = {
  // Allowed: adapters implement ports, features use ports and other features' public faces, the
  // starter wires adapters in, shared code uses ports.
  "core/src/ports/message-store.ts": "export interface MessageStore { count(): number }\n",
  "core/src/features/memory/recall.ts":
    'import type { MessageStore } from "../../ports/message-store";\n' +
    "export const recall = (store: MessageStore) => store.count();\n",
  "core/src/features/memory/index.ts": 'export { recall } from "./recall";\n',
  "core/src/features/reply/reply.ts":
    'import { Hono } from "hono";\nimport { recall } from "../memory";\n' +
    "export const reply = [Hono, recall];\n",
  "core/src/adapters/pg/store.ts":
    'import type { MessageStore } from "../../ports/message-store";\n' +
    'import postgres from "postgres";\n' +
    "export const store: MessageStore = { count: () => (postgres ? 1 : 0) };\n",
  "core/src/adapters/offline/model.ts":
    'import { recall } from "../../features/memory";\nexport const model = recall;\n',
  "core/src/start/services.ts":
    'import { store } from "../adapters/pg/store";\nexport const services = { store };\n',
  "core/src/shared/jobs.ts":
    'import type { MessageStore } from "../ports/message-store";\n' +
    "export type Jobs = MessageStore;\n",
  // Allowed: tests beside the code may wire adapters, fakes and bun:test.
  "core/src/features/memory/recall.test.ts":
    'import { store } from "../../adapters/pg/store";\n' +
    'import { fake } from "../../../../test/fakes/fake";\n' +
    'import { test } from "bun:test";\nexport const t = [store, fake, test];\n',
  "edge/src/app.test.ts": 'import { test } from "bun:test";\nexport const t = test;\n',
  "edge/src/app.ts": 'import { Hono } from "hono";\nexport const app = new Hono();\n',
  "test/fakes/fake.ts": "export const fake = 1;\n",
  // Allowed: edge and core both speak the wire protocol.
  "protocol/wire.ts": "export const WIRE_VERSION = 1;\n",
  "edge/src/forward/client.ts":
    'import { WIRE_VERSION } from "../../../protocol/wire";\nexport const client = WIRE_VERSION;\n',
  "core/src/features/intake/route.ts":
    'import { WIRE_VERSION } from "../../../../protocol/wire";\nexport const inbound = WIRE_VERSION;\n',

  // Violations, one per rule (or several where a rule covers several kinds of target). A cycle is
  // reported once, at the module where dependency-cruiser enters it.
  "core/src/features/personality/mood.ts":
    'import { store } from "../../adapters/pg/store";\nimport type { Sql } from "postgres";\n' +
    'import { services } from "../../start/services";\nimport { recall } from "../memory/recall";\n' +
    "export const mood = (sql: Sql | undefined) => [store, sql, services, recall];\n",
  "core/src/ports/cache.ts":
    'import type Redis from "ioredis";\nexport interface Cache { client: Redis }\n',
  "core/src/shared/lru.ts":
    'import { recall } from "../features/memory";\nexport const lru = recall;\n',
  "core/src/adapters/pg/leak.ts":
    'import { recall } from "../../features/memory/recall";\n' +
    'import { services } from "../../start/services";\nexport const leak = [recall, services];\n',
  "edge/src/forward.ts":
    'import { services } from "../../core/src/start/services";\nimport { serve } from "bun";\n' +
    'import pino from "pino";\nexport const forward = [services, serve, pino];\n',
  "workers/src/a.ts": 'import { b } from "./b";\nexport const a = () => b;\n',
  "workers/src/b.ts": 'import { a } from "./a";\nexport const b = () => a;\n',
  "db/seed.ts": 'import { fake } from "../test/fakes/fake";\nexport const seed = fake;\n',
  "scripts/tool.ts": "export const tool = 1;\n",
  "protocol/leak.ts":
    'import { app } from "../edge/src/app";\nimport { fake } from "../test/fakes/fake";\n' +
    'import { serve } from "bun";\nexport const leak = [app, fake, serve];\n',
  "demo/page.ts": 'import { tool } from "../scripts/tool";\nexport const page = tool;\n',
};

/** Stand-ins for the packages the rules name: resolvable, so they appear under node_modules/. */
const packages = ["postgres", "ioredis", "pino", "hono"];

const MOOD = "core/src/features/personality/mood.ts";
const expectedViolations: Violation[] = [
  { rule: "features-stay-pure", from: MOOD, to: "core/src/adapters/pg/store.ts" },
  { rule: "features-stay-pure", from: MOOD, to: "node_modules/postgres/index.js" },
  { rule: "features-stay-pure", from: MOOD, to: "core/src/start/services.ts" },
  { rule: "features-meet-at-their-index", from: MOOD, to: "core/src/features/memory/recall.ts" },
  { rule: "ports-stay-pure", from: "core/src/ports/cache.ts", to: "node_modules/ioredis/index.js" },
  {
    rule: "shared-stays-pure",
    from: "core/src/shared/lru.ts",
    to: "core/src/features/memory/index.ts",
  },
  {
    rule: "adapters-implement-ports",
    from: "core/src/adapters/pg/leak.ts",
    to: "core/src/features/memory/recall.ts",
  },
  {
    rule: "adapters-implement-ports",
    from: "core/src/adapters/pg/leak.ts",
    to: "core/src/start/services.ts",
  },
  { rule: "edge-stays-small", from: "edge/src/forward.ts", to: "core/src/start/services.ts" },
  { rule: "edge-runs-in-workers", from: "edge/src/forward.ts", to: "bun" },
  { rule: "edge-runs-in-workers", from: "edge/src/forward.ts", to: "node_modules/pino/index.js" },
  { rule: "no-circular", from: "workers/src/a.ts", to: "workers/src/b.ts" },
  { rule: "product-code-not-on-tests", from: "db/seed.ts", to: "test/fakes/fake.ts" },
  { rule: "protocol-stands-alone", from: "protocol/leak.ts", to: "edge/src/app.ts" },
  { rule: "protocol-stands-alone", from: "protocol/leak.ts", to: "test/fakes/fake.ts" },
  { rule: "protocol-stands-alone", from: "protocol/leak.ts", to: "bun" },
  { rule: "product-code-not-on-tests", from: "protocol/leak.ts", to: "test/fakes/fake.ts" },
  { rule: "nothing-imports-scripts", from: "demo/page.ts", to: "scripts/tool.ts" },
];

const byRuleAndPath = (a: Violation, b: Violation) =>
  `${a.rule} ${a.from} ${a.to}`.localeCompare(`${b.rule} ${b.from} ${b.to}`);

let project = "";

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), "pup-depcruise-"));
  await Bun.write(join(project, "tsconfig.json"), Bun.file(join(repoRoot, "tsconfig.json")));
  for (const [path, contents] of Object.entries(files)) {
    await mkdir(dirname(join(project, path)), { recursive: true });
    await writeFile(join(project, path), contents);
  }
  for (const name of packages) {
    const dir = join(project, "node_modules", name);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "package.json"), JSON.stringify({ name, main: "index.js" }));
    await writeFile(join(dir, "index.js"), "export default {};\n");
  }
});

afterAll(async () => {
  if (project) await rm(project, { recursive: true, force: true });
});

describe("dependency rules", () => {
  test("every rule reports its violation as an error, and nothing else is reported", async () => {
    const { output } = await cruise(project, "json");
    const violations = violationsIn(output);
    expect(violations.map(({ severity, ...v }) => v).sort(byRuleAndPath)).toEqual(
      [...expectedViolations].sort(byRuleAndPath),
    );
    expect(new Set(violations.map((v) => v.severity))).toEqual(new Set(["error"]));
  });

  test("the check fails, naming each broken rule", async () => {
    const { exitCode, output } = await cruise(project, "err");
    expect(exitCode).not.toBe(0);
    for (const rule of new Set(expectedViolations.map((v) => v.rule))) {
      expect(output).toContain(`error ${rule}:`);
    }
  });

  test("every rule in the config is proven by a violation above", async () => {
    const config = (await import(join(repoRoot, ".dependency-cruiser.cjs"))) as {
      default: { forbidden: { name: string }[] };
    };
    const proven = new Set(expectedViolations.map((v) => v.rule));
    expect(config.default.forbidden.map((r) => r.name).filter((n) => !proven.has(n))).toEqual([]);
  });

  test("the real tree passes", async () => {
    const { exitCode, output } = await cruise(repoRoot, "err");
    expect(output).toContain("no dependency violations found");
    expect(exitCode).toBe(0);
  });
});
