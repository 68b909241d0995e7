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
  "/style.css": { file: "style.css", type: "text/css; charset=utf-8" },
  "/favicon.svg": { file: "favicon.svg", type: "image/svg+xml" },
};

/** The asset for `pathname`, or `undefined` when it is not one of the page's files. */
export function staticAsset(pathname: string): Response | undefined {
  const asset = FILES[pathname];
  if (!asset) return undefined;
  return new Response(Bun.file(join(PAGE_DIR, asset.file)), {
    headers: {
      "Content-Type": asset.type,
      // Small files on loopback: revalidating costs nothing and edits show up at once.
      "Cache-Control": "no-cache",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
