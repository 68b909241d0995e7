// Dependency-direction rules for pup, checked by `bun run check:deps` (part of `bun run test`).
// Dependencies point inward: adapters -> ports <- features; a feature reaches another feature only
// through its public face (index.ts); only the process starter (core/src/start) and entry points
// wire technologies in (ADR-021). test/integration/dependency-rules.test.ts proves every rule can
// fail.

/** Packages that tie code to one technology; the domain and its ports must stay free of them. */
const TECHNOLOGY_PACKAGES = [
  "postgres",
  "@electric-sql/[^/]+",
  "pgvector",
  "ioredis",
  "bullmq",
  "openai",
  "@slack/web-api",
  "drizzle-orm",
  "pino",
  "hono",
].join("|");
const TECHNOLOGY = `(^|/)node_modules/(${TECHNOLOGY_PACKAGES})/`;

/** Server-only packages that cannot run inside a Cloudflare Worker (TCP clients, WASM databases). */
const SERVER_ONLY = `(^|/)node_modules/(postgres|@electric-sql/[^/]+|pgvector|ioredis|bullmq|drizzle-orm|pino)/`;

/** Tests beside the code act as entrypoints: they may wire adapters, fakes and bun:test. */
const TEST_FILE = "\\.(test|bench)\\.ts$";

/** Technologies a feature may not name: all of them but Hono, which features' routes are written in. */
const FEATURE_TECHNOLOGY = TECHNOLOGY.replace("|hono)", ")");

/** What features, shared code and ports must never reach: wiring, adapters, other processes. */
const WIRING = ["^core/src/adapters/", "^core/src/start/", "^db/", "^workers/", "^edge/", "^demo/"];
const OUTWARD = [...WIRING, TECHNOLOGY];

/**
 * What is checked when cruising ".": pup's own folders (whichever exist) and root files; dot
 * folders and build output are skipped. node_modules stays in the graph so rules can name packages.
 */
const OUTSIDE_PROJECT =
  "^[.][^./][^/]*|^(?!(edge|core|workers|db|demo|test|scripts|protocol|node_modules)/)[^/]+/";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment:
        "Cycles make modules impossible to understand, test or load on their own, and hide " +
        "initialisation-order bugs. Break the cycle with a port or by moving the shared piece.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "features-stay-pure",
      comment:
        "A feature (core/src/features/<name>) depends on ports, shared code and itself, so it can " +
        "be tested without services and any technology can be swapped. Receive adapters through " +
        "ports from the process starter (core/src/start) instead of importing them.",
      severity: "error",
      from: { path: "^core/src/features/", pathNot: TEST_FILE },
      to: { path: [...WIRING, FEATURE_TECHNOLOGY] },
    },
    {
      name: "features-meet-at-their-index",
      comment:
        "A feature uses another feature only through its public face (index.ts): its other " +
        "files are internals that may change with the feature. Export what you need from there.",
      severity: "error",
      from: { path: "^core/src/features/([^/]+)/", pathNot: TEST_FILE },
      to: {
        path: "^core/src/features/",
        pathNot: ["^core/src/features/$1/", "^core/src/features/[^/]+/index[.]ts$"],
      },
    },
    {
      name: "shared-stays-pure",
      comment:
        "core/src/shared holds the kernel every feature uses (errors, jobs, caches); it must not " +
        "depend on any feature, adapter or technology, or every feature would.",
      severity: "error",
      from: { path: "^core/src/shared/", pathNot: TEST_FILE },
      to: { path: [...OUTWARD, "^core/src/features/"] },
    },
    {
      name: "adapters-implement-ports",
      comment:
        "Adapters implement ports for the starter to hand out; they may read a feature's public " +
        "face (a format it owns) but never its internals, and never the starter.",
      severity: "error",
      from: { path: "^core/src/adapters/", pathNot: TEST_FILE },
      to: {
        path: ["^core/src/start/", "^core/src/features/"],
        pathNot: "^core/src/features/[^/]+/index[.]ts$",
      },
    },
    {
      name: "ports-stay-pure",
      comment:
        "Ports are the interfaces adapters implement; if they name a technology's types, every " +
        "implementation and every domain module inherits that technology.",
      severity: "error",
      from: { path: "^core/src/ports/", pathNot: TEST_FILE },
      to: { path: [...OUTWARD, "^core/src/features/"] },
    },
    {
      name: "edge-stays-small",
      comment:
        "The edge is a Cloudflare Worker: its bundle must stay small and run in workerd, so it " +
        "cannot pull in core, the workers or the database layer. Share through edge/ itself.",
      severity: "error",
      from: { path: "^edge/", pathNot: TEST_FILE },
      to: { path: ["^core/", "^workers/", "^db/"] },
    },
    {
      name: "edge-runs-in-workers",
      comment:
        "Bun's own modules (bun, bun:*) and server-only packages (TCP database and Redis " +
        "clients, PGlite, pino) do not exist or do not work inside a Cloudflare Worker.",
      severity: "error",
      from: { path: "^edge/", pathNot: TEST_FILE },
      to: { path: ["^bun(:|$)", SERVER_ONLY] },
    },
    {
      name: "protocol-stands-alone",
      comment:
        "protocol/ is the wire contract between edge and core: both import it, so it must run in " +
        "workerd and in Bun and import nothing of either side (or of the tests), or the edge " +
        "bundle would pull core in and the contract would depend on one implementation.",
      severity: "error",
      from: { path: "^protocol/", pathNot: TEST_FILE },
      to: { path: ["^(edge|core|workers|db|demo|test)/", "^bun(:|$)", SERVER_ONLY] },
    },
    {
      name: "product-code-not-on-tests",
      comment:
        "Fakes, fixtures and test setup must never ship: product code that imports them would " +
        "behave differently in production. Tests beside the code may import them.",
      severity: "error",
      from: { path: "^(edge|core|workers|db|demo|protocol)/", pathNot: TEST_FILE },
      to: { path: "^test/" },
    },
    {
      name: "nothing-imports-scripts",
      comment:
        "scripts/ holds developer and CI tooling run from the command line; code that imports it " +
        "would make tooling part of the product or the test suite.",
      severity: "error",
      from: { pathNot: "^scripts/" },
      to: { path: "^scripts/" },
    },
  ],
  options: {
    exclude: { path: OUTSIDE_PROJECT },
    // Third-party code is a leaf: its internals are not ours to check.
    doNotFollow: { path: "(^|/)node_modules/" },
    // Type-only imports count: a port naming a technology's types still couples to it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".d.ts", ".js", ".mjs", ".cjs", ".mts", ".cts", ".json"],
      mainFields: ["module", "main", "types", "typings"],
    },
    skipAnalysisNotInRules: true,
  },
};
