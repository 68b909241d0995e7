/**
 * Starts the whole demo in this process: the local Slack page first (pup asks its Web API for
 * `auth.test` as soon as core starts), then core composed exactly as `bun run core` composes it
 * (composition root, job handlers run here, core's HTTP app on a loopback port), then the
 * edge's real app in front of core, wired into the page last.
 */
import type { Logger } from "pino";
import { moodOfConversation, PersonaError } from "../core/src/features/personality";
import { PupError } from "../core/src/shared/errors";
import type { CoreServices } from "../core/src/start/services";
import { StartError } from "../core/src/start/start-error";
import { type RunningPup, startPup } from "../core/src/start/start-pup";
import packageJson from "../package.json" with { type: "json" };
import type { DemoConfig } from "./config";
import { createInProcessEdge, type InProcessEdge } from "./in-process-edge";
import { DEMO_IDENTITY, type DemoWeb, startDemoWeb } from "./web";

/** A failure to start that one line explains; anything else is a bug and keeps its stack. */
export class DemoStartError extends PupError {
  override readonly name = "DemoStartError";
  constructor(message: string) {
    super(message, { code: "demo_start_failed" });
  }
}

export interface RunningDemo {
  /** The page, `http://127.0.0.1:<port>/`. */
  url: string;
  /** Stops intake, drains jobs within `graceMs`, closes the page and the database. */
  stop(graceMs: number): Promise<void>;
}

export interface StartDemoOptions {
  logger: Logger;
  /** One line of progress for the person who typed `bun run demo`. */
  progress: (line: string) => void;
}

const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

function databaseDescription(config: DemoConfig): string {
  if (config.database.url) return "connecting to PostgreSQL (DATABASE_URL)";
  return `opening PGlite in ${config.database.dataDir} (compiling PostgreSQL's WebAssembly takes a few seconds)`;
}

function startWeb(
  config: DemoConfig,
  edge: () => InProcessEdge | undefined,
  services: () => CoreServices | undefined,
): DemoWeb {
  try {
    return startDemoWeb({
      port: config.http.port,
      signingSecret: config.secrets.slackSigningSecret,
      botToken: config.secrets.slackBotToken,
      // The page is up before the edge exists; until then a page action gets a clear 503.
      edge: async (request) =>
        edge()?.fetch(request) ?? Response.json({ error: "starting" }, { status: 503 }),
      // The badge reads pup's stored mood; until core is up nothing can have moved it.
      moodOf: async (channelId) => {
        const running = services();
        if (!running) return "neutral";
        return moodOfConversation(running.deps, DEMO_IDENTITY.teamId, channelId);
      },
    });
  } catch (error) {
    if ((error as { code?: unknown }).code === "EADDRINUSE") {
      throw new DemoStartError(
        `port ${config.http.port} on 127.0.0.1 is in use; set PUP_DEMO_PORT to another port (0 picks a free one)`,
      );
    }
    throw error;
  }
}

/** Core as `bun run core` runs it, its jobs run here, its HTTP app on a loopback port. */
async function openCore(
  config: DemoConfig,
  options: StartDemoOptions,
  apiUrl: string,
): Promise<RunningPup> {
  const { logger, progress } = options;
  const started = performance.now();
  progress(`database: ${databaseDescription(config)}`);
  try {
    const pup = await startPup({
      role: "core",
      config: { ...config, slack: { botToken: config.secrets.slackBotToken, apiUrl } },
      logger,
      // With REDIS_URL the queues are BullMQ's; either way the demo runs every job itself.
      queues: "all",
      checkSlack: true,
      http: {
        hostname: "127.0.0.1",
        port: 0,
        coreSharedSecret: config.secrets.coreSharedSecret,
        version: packageJson.version,
      },
      services: { onMigrationProgress: (line) => progress(`database: ${line}`) },
    });
    progress(`database: ready in ${seconds(started)} s`);
    return pup;
  } catch (error) {
    // A bad persona file says what is wrong with it, not that the database failed.
    if (error instanceof PersonaError) throw new DemoStartError(error.message);
    if (error instanceof StartError) {
      throw new DemoStartError(error.message.replace("reach Slack", "reach the local Slack"));
    }
    const reason = error instanceof Error ? (error.cause ?? error) : error;
    throw new DemoStartError(`the database could not be opened or migrated: ${String(reason)}`);
  }
}

/** Starts everything; on failure whatever was started is stopped again before the throw. */
export async function startDemo(
  config: DemoConfig,
  options: StartDemoOptions,
): Promise<RunningDemo> {
  const { logger, progress } = options;
  let edge: InProcessEdge | undefined;
  let pup: RunningPup | undefined;
  // Once stopping, the database closes before the page: the badge falls back to "neutral".
  let stopping = false;
  const web = startWeb(
    config,
    () => edge,
    () => (stopping ? undefined : pup?.services),
  );
  progress(`local Slack listening on ${web.url}`);
  try {
    pup = await openCore(config, options, web.apiUrl);
    edge = createInProcessEdge({
      signingSecret: config.secrets.slackSigningSecret,
      coreUrl: pup.url ?? "",
      coreSharedSecret: config.secrets.coreSharedSecret,
      env: config.runtime.env,
      logLevel: config.runtime.logLevel,
      logger,
    });
  } catch (error) {
    stopping = true;
    await pup?.stop(0);
    await web.stop();
    throw error;
  }
  const queues = config.redis.url ? "BullMQ on REDIS_URL" : "in-process";
  const replies = config.llm.mode === "offline" ? "offline responder" : "OpenAI-compatible model";
  progress(
    `core on ${pup.url?.replace("http://", "")}, edge in-process, queues ${queues}, ${replies}`,
  );

  const running = { edge, pup, web };
  return {
    url: web.url,
    stop: (graceMs) => {
      stopping = true;
      return stopDemo(running, graceMs, logger);
    },
  };
}

/**
 * The order matters: no new deliveries (the edge, then core's HTTP), then the jobs already taken
 * finish while the page still answers their Web API calls, then the database and the page close.
 */
async function stopDemo(
  running: { edge: InProcessEdge; pup: RunningPup; web: DemoWeb },
  graceMs: number,
  logger: Logger,
): Promise<void> {
  const step = async (name: string, work: () => Promise<unknown>) => {
    await work().catch((error: unknown) =>
      logger.warn({ err: error }, `${name} did not stop cleanly`),
    );
  };
  await step("edge", () => running.edge.stop());
  await step("core, its jobs and the database", () => running.pup.stop(graceMs));
  await step("page", () => running.web.stop());
}
