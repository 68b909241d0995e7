/**
 * Benchmark variant "bare Hono": a Worker that answers 200 to every POST without reading the
 * body. It is the ceiling for any Hono Worker in this workerd, so pup's verify-and-acknowledge
 * path is reported as a fraction of it.
 */
import { Hono } from "hono";

const app = new Hono();
app.post("*", (c) => c.body(null, 200));

export default { fetch: app.fetch };
