import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import { ConfigError } from "../shared/errors";
import { loadConfig } from "./load";
import { outputEntries, toOutputConfig } from "./output";

const schema = v.object(outputEntries);
const load = (env: Record<string, string>) => loadConfig(schema, env);

describe("output config", () => {
  test("PUP_LINK_ALLOWLIST defaults to slack.com and takes comma-separated hosts", () => {
    expect(load({}).PUP_LINK_ALLOWLIST).toEqual(["slack.com"]);
    expect(
      load({ PUP_LINK_ALLOWLIST: " slack.com, *.Example.org ,docs.acme.io," }).PUP_LINK_ALLOWLIST,
    ).toEqual(["slack.com", "*.example.org", "docs.acme.io"]);
  });

  test("a URL or a bare word in PUP_LINK_ALLOWLIST is refused, naming it", () => {
    expect(() => load({ PUP_LINK_ALLOWLIST: "slack.com,https://evil.example/" })).toThrow(
      /PUP_LINK_ALLOWLIST: .*"https:\/\/evil.example\/"/,
    );
    expect(() => load({ PUP_LINK_ALLOWLIST: "localhost" })).toThrow(ConfigError);
  });

  test("every configured secret becomes a value the filter removes; keys as their base64", () => {
    const key = new Uint8Array(32).fill(7);
    const config = toOutputConfig({
      PUP_LINK_ALLOWLIST: ["slack.com"],
      SLACK_SIGNING_SECRET: "signing-secret-value",
      CORE_SHARED_SECRET: "shared-secret-value",
      PUP_TOKEN_ENCRYPTION_KEY: key,
      PUP_METRICS_TOKEN: undefined,
    });
    expect(config.secrets).toEqual([
      "signing-secret-value",
      "shared-secret-value",
      Buffer.from(key).toString("base64"),
    ]);
  });
});
