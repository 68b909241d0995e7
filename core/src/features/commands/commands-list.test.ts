// The commands pup has (COMMANDS) are exactly the ones manifest.json's usage hint, `/pup help`
// and the README's list name: none missing anywhere, none that does not exist.
import { describe, expect, test } from "bun:test";
import { resolve } from "node:path";
import { COMMANDS, helpText } from "./registry";

const root = resolve(import.meta.dir, "../../../..");

/** `help | mood | forget me` -> the first word of each alternative. */
function namesInUsageHint(hint: string): string[] {
  return hint.split("|").map((part) => part.trim().split(/\s+/)[0] ?? "");
}

/** Help's bullet lines: `• \`/pup <name> …\`: …`. */
function namesInHelp(help: string): string[] {
  return help.split("\n").flatMap((line) => /^• `\/pup ([a-z]+)/.exec(line)?.[1] ?? []);
}

/** The README section "In Slack", its list lines: `- \`/pup <name> …\`: …`. */
function namesInReadme(readme: string): string[] {
  const start = readme.indexOf("## In Slack: `/pup` and the App Home");
  if (start < 0) throw new Error("README has no section 'In Slack: `/pup` and the App Home'");
  const end = readme.indexOf("\n## ", start + 1);
  return readme
    .slice(start, end < 0 ? undefined : end)
    .split("\n")
    .flatMap((line) => /^- `\/pup ([a-z]+)/.exec(line)?.[1] ?? []);
}

async function sources() {
  const manifest = (await Bun.file(resolve(root, "manifest.json")).json()) as {
    features: { slash_commands: { command: string; usage_hint: string }[] };
  };
  const pup = manifest.features.slash_commands.find((c) => c.command === "/pup");
  if (!pup) throw new Error("manifest.json has no /pup");
  return {
    manifest: pup.usage_hint,
    help: helpText(),
    readme: await Bun.file(resolve(root, "README.md")).text(),
  };
}

const sorted = (names: string[]) => [...names].sort();

describe("the commands list", () => {
  test("manifest, help and README name exactly the commands that exist, each once", async () => {
    const { manifest, help, readme } = await sources();
    const exist = sorted(COMMANDS.map((command) => command.name));
    expect(exist).toContain("forget");
    expect({ manifest: sorted(namesInUsageHint(manifest)) }).toEqual({ manifest: exist });
    expect({ help: sorted(namesInHelp(help)) }).toEqual({ help: exist });
    expect({ readme: sorted(namesInReadme(readme)) }).toEqual({ readme: exist });
  });

  test("the comparison fails when any one of them lists a command the others don't", async () => {
    const { manifest, help, readme } = await sources();
    const exist = sorted(COMMANDS.map((command) => command.name));
    const section = "## In Slack: `/pup` and the App Home\n";
    const extra = {
      manifest: namesInUsageHint(`${manifest} | fetch`),
      help: namesInHelp(`${help}\n• \`/pup fetch\`: fetches the ball`),
      readme: namesInReadme(readme.replace(section, `${section}\n- \`/pup fetch\`: the ball\n`)),
    };
    for (const [where, names] of Object.entries(extra)) {
      expect({ where, same: sorted(names).join() === exist.join() }).toEqual({
        where,
        same: false,
      });
    }
    // And when one leaves a command out.
    const withoutForget = namesInUsageHint(manifest.replace(" | forget me", ""));
    expect(sorted(withoutForget)).not.toEqual(exist);
  });
});
