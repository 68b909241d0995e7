/**
 * A TCP relay in front of a real service (Redis, PostgreSQL) that a test can cut and restore on
 * the same port: the way outage tests make a dependency unreachable without stopping the shared
 * service other tests use.
 */
import { connect, createServer, type Server, type Socket } from "node:net";
import { testRedisUrl } from "../contracts/queue-harness";

export interface TcpRelay {
  /** Starts (or restarts, on the port it had) relaying; returns the port. */
  up(): Promise<number>;
  /** Stops listening and cuts every open connection. */
  down(): Promise<void>;
}

export function tcpRelay(upstream: { host: string; port: number }): TcpRelay {
  let server: Server | undefined;
  let port = 0;
  const sockets = new Set<Socket>();
  return {
    async up() {
      const listening = createServer((client) => {
        const target = connect(upstream.port, upstream.host);
        for (const socket of [client, target]) {
          sockets.add(socket);
          socket.on("error", () => {});
          socket.on("close", () => sockets.delete(socket));
        }
        client.pipe(target).pipe(client);
      });
      await new Promise<void>((resolve, reject) => {
        listening.once("error", reject);
        listening.listen(port, "127.0.0.1", () => resolve());
      });
      server = listening;
      const address = listening.address();
      if (address === null || typeof address === "string") throw new Error("relay has no port");
      port = address.port;
      return port;
    },
    async down() {
      const closing = server;
      server = undefined;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => (closing ? closing.close(() => resolve()) : resolve()));
    },
  };
}

/** A relay to the test Redis; `up()` answers its `redis://` URL. */
export function redisRelay(): { up(): Promise<string>; down(): Promise<void> } {
  const upstream = new URL(testRedisUrl());
  const relay = tcpRelay({ host: upstream.hostname, port: Number(upstream.port || 6379) });
  return {
    up: async () => `redis://127.0.0.1:${await relay.up()}`,
    down: () => relay.down(),
  };
}
