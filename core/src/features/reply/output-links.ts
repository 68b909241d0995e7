/**
 * Links in what pup posts. Slack turns `<url|label>` into a link whose label may lie about where
 * it goes, and it links bare URLs and bare domains (`evil.example/login`) in plain text, so a
 * reply the model was talked into can carry a phishing link however it is written. A link to an
 * allowed host stays a link and shows its real host; any other is defanged (`hxxps://evil[.]example`)
 * so that Slack cannot link it and a reader can still see what was there. Pure string work.
 */

/** Hosts links may point to when nothing is configured: Slack itself and every workspace's own. */
export const SLACK_LINK_HOSTS: readonly string[] = ["slack.com"];

/** Whether `host` is an allowed host or a subdomain of one (`acme.slack.com` under `slack.com`). */
export function hostAllowed(host: string, allowedHosts: readonly string[]): boolean {
  const name = host.toLowerCase().replace(/\.$/, "");
  return allowedHosts.some((allowed) => {
    const entry = allowed.toLowerCase().replace(/^\*\./, "");
    return name === entry || name.endsWith(`.${entry}`);
  });
}

/** `evil.example` as `evil[.]example`: no longer a domain to Slack's linker. */
export function defangHost(host: string): string {
  // Dots already bracketed stay as they are, so filtering twice changes nothing.
  return host.replace(/(?<!\[)\.(?!\])/g, "[.]");
}

/** The host of an absolute URL, or undefined when it has none (mailto:, garbage). */
export function hostOf(url: string): string | undefined {
  try {
    const host = new URL(url).hostname;
    return host === "" ? undefined : host;
  } catch {
    return undefined;
  }
}

/** A whole URL Slack will not link: `hxxps://evil[.]example/login`. */
export function defangUrl(url: string): string {
  const scheme = /^([a-z][a-z0-9+.-]*):(\/\/)?/i.exec(url);
  if (!scheme) return defangBareDomain(url);
  const rest = url.slice(scheme[0].length);
  const name = (scheme[1] ?? "").toLowerCase();
  const shown = /^https?$/.test(name)
    ? `hxxp${name.slice(4)}:`
    : /^hxxps?$/.test(name)
      ? `${name}:`
      : `${name}[:]`;
  const hostEnd = rest.search(/[/?#]/);
  const authority = hostEnd < 0 ? rest : rest.slice(0, hostEnd);
  const path = hostEnd < 0 ? "" : rest.slice(hostEnd);
  return `${shown}${scheme[2] ?? ""}${defangHost(authority)}${path}`;
}

/** `evil.example/login` as `evil[.]example/login`. */
function defangBareDomain(text: string): string {
  const hostEnd = text.search(/[/?#:]/);
  return hostEnd < 0
    ? defangHost(text)
    : `${defangHost(text.slice(0, hostEnd))}${text.slice(hostEnd)}`;
}

/**
 * A URL with a scheme, or a bare domain (with an optional port and path). The domain's last
 * label starts with a letter and has at least two characters, as every top-level domain does, so
 * version numbers, IP addresses without a scheme and abbreviations ("e.g.", "i.e.") are left
 * alone (Slack does not link those either).
 */
const BARE_LINK =
  /(?<![\w@./:-])(?:[a-z][a-z0-9+.-]*:\/\/[^\s<>]+|(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])(?::\d{1,5})?(?:[/?#][^\s<>]*)?)(?![\w-])/gi;

/** Punctuation that ends a sentence rather than a URL. */
const TRAILING = /[.,;:!?'")\]}*_~]+$/;

/** Defangs every bare URL and domain in plain text whose host is not allowed. */
export function defangBareLinks(text: string, allowedHosts: readonly string[]): string {
  return text.replace(BARE_LINK, (match) => {
    const trailing = TRAILING.exec(match)?.[0] ?? "";
    const link = match.slice(0, match.length - trailing.length);
    if (link === "") return match;
    const host = link.includes("://") ? hostOf(link) : link.split(/[/?#:]/, 1)[0];
    if (host !== undefined && hostAllowed(host, allowedHosts)) return match;
    return `${defangUrl(link)}${trailing}`;
  });
}

/**
 * A link with its label (`<url|label>` in mrkdwn, `[label](url)` in markdown). Allowed: kept,
 * with the real host added to a label that does not show it. Otherwise the label stays as text
 * beside the defanged host, so the reader sees both what was claimed and where it pointed.
 * `label` must already be filtered as plain text; `format` rebuilds the link in its own syntax.
 */
export function labelledLink(
  url: string,
  label: string,
  allowedHosts: readonly string[],
  format: (url: string, label: string) => string,
): string {
  const host = hostOf(url);
  const web = /^https?:\/\//i.test(url);
  if (web && host !== undefined && hostAllowed(host, allowedHosts)) {
    if (label === "") return format(url, "");
    return label.toLowerCase().includes(host.toLowerCase())
      ? format(url, label)
      : format(url, `${label} (${host})`);
  }
  const where = host !== undefined ? defangHost(host) : defangUrl(url);
  return label === "" ? defangUrl(url) : `${label} (${where}, link removed)`;
}
