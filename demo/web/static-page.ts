/**
 * The page's files (demo/web/page/): plain HTML, CSS and JavaScript served as they are, with no
 * build step. Only the listed files are served, so no path can reach outside the folder.
 */
import { join } from "node:path";

const PAGE_DIR = join(import.meta.dir, "page");

const FILES: Record<string, { file: string; type: string }> = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/index.html": { file: "index.html", type: "text/html; charset=utf-8" },
  "/app.js": { file: "app.js", type: "text/javascript; charset=utf-8" },
  "/render.js": { file: "render.js", type: "text/javascript; charset=utf-8" },
  "/blocks.js": { file: "blocks.js", type: "text/javascript; charset=utf-8" },
  "/style.css": { file: "style.css", type: "text/css; charset=utf-8" },
  "/blocks.css": { file: "blocks.css", type: "text/css; charset=utf-8" },
  "/favicon.svg": { file: "favicon.svg", type: "image/svg+xml" },
};

/** Where index.html takes this run's page token (demo/web/page-guard.ts). */
const TOKEN_PLACEHOLDER = "__PUP_DEMO_TOKEN__";

/**
 * The asset for `pathname`, or `undefined` when it is not one of the page's files. The HTML gets
 * `pageToken` in its meta tag; other origins cannot read it, so only this page can act.
 */
export async function staticAsset(
  pathname: string,
  pageToken: string,
): Promise<Response | undefined> {
  const asset = FILES[pathname];
  if (!asset) return undefined;
  const file = Bun.file(join(PAGE_DIR, asset.file));
  const body =
    asset.file === "index.html" ? (await file.text()).replace(TOKEN_PLACEHOLDER, pageToken) : file;
  return new Response(body, {
    headers: {
      "Content-Type": asset.type,
      // Small files on loopback: revalidating costs nothing and edits show up at once.
      "Cache-Control": "no-cache",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
