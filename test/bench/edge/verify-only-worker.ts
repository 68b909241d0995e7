/**
 * Benchmark variant "pup verify-and-acknowledge": pup's own edge app (body limit, signature,
 * parse, drop rules, the rate-limit step) with forwarding replaced by a forwarder that says
 * "accepted" at once and no rate-limiter bindings, so the rate-limit step lets everything through
 * without asking a limiter. What remains is the cost of verifying and acknowledging.
 */
import { createApp } from "../../../edge/src/app";
import type { Forwarder } from "../../../edge/src/forward/types";

const acceptAtOnce: Forwarder = { forward: async () => "accepted" };
const app = createApp({ forwarderFor: () => acceptAtOnce });

export default { fetch: app.fetch };
