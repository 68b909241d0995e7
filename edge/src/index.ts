/**
 * The Cloudflare Worker entry (wrangler.toml `main`). One app per isolate; bindings are read
 * from each request's `env` (parsed once per bindings object, see env.ts).
 */
import { createApp } from "./app";

const app = createApp();

export default {
  fetch: app.fetch,
};
