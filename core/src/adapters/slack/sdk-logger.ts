// How @slack/web-api's own log lines reach pup's logger.
import { LogLevel, type Logger as SdkLogger } from "@slack/web-api";
import type { Logger } from "../pino/logger";

export /** The SDK's own chatter, demoted: pup logs every failure itself with more context. */
function sdkLogger(logger: Logger): SdkLogger {
  let level = LogLevel.WARN;
  return {
    debug() {},
    info() {},
    warn: (...messages) => logger.debug({ sdk: "@slack/web-api" }, messages.map(String).join(" ")),
    error: (...messages) => logger.warn({ sdk: "@slack/web-api" }, messages.map(String).join(" ")),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName() {},
  };
}
