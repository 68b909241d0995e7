/**
 * A redis-server of the fault tests' own on a free loopback port, so a test can stop and restart
 * Redis without touching the shared one on 6379 that every other test uses. No persistence: a
 * restart keeps its data only because the test stops it with SHUTDOWN SAVE into its own dir.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../integration/edge-deploy-processes";

export interface PrivateRedis {
  url: string;
  /** Stops the server (saving its data first, so a start brings every job back). */
  stop(): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = freePort();
  const dir = mkdtempSync(join(tmpdir(), "pup-redis-"));
  let child: ReturnType<typeof Bun.spawn> | undefined;
  const start = async () => {
    child = Bun.spawn(
      [
        "redis-server",
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        dir,
        "--save",
        "",
        "--appendonly",
        "no",
        "--dbfilename",
        "dump.rdb",
      ],
      { stdout: "ignore", stderr: "ignore" },
    );
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const up = await Bun.connect({ hostname: "127.0.0.1", port, socket: { data() {} } })
        .then((socket) => {
          socket.end();
          return true;
        })
        .catch(() => false);
      if (up) return;
      await Bun.sleep(50);
    }
    throw new Error(`private redis-server on ${port} did not start`);
  };
  const stop = async () => {
    if (!child) return;
    // SHUTDOWN SAVE saves and exits in one step: nothing written after the save is lost (a SAVE
    // then SIGTERM lost what landed in between, with no save points configured).
    spawnSync(["redis-cli", "-p", String(port), "shutdown", "save"]);
    const exited = await Promise.race([child.exited.then(() => true), Bun.sleep(5_000)]);
    if (exited !== true) child.kill("SIGTERM");
    await child.exited;
    child = undefined;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    start,
    stop,
    async dispose() {
      child?.kill("SIGKILL");
      await child?.exited;
    },
  };
}

function spawnSync(cmd: string[]) {
  Bun.spawnSync(cmd, { stdout: "ignore", stderr: "ignore" });
}
