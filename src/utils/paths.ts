/**
 * Every internal URL on the site is built here, so the site works under a sub-path.
 * `joinBase` is pure (usable from Markdown plugins at config time); the other helpers
 * read the base Astro was configured with.
 */

/** Joins a base path ("/" or "/sub/") and a site-relative path ("questions/x/"). */
export function joinBase(base: string, path: string): string {
  const cleanBase = base.endsWith('/') ? base : `${base}/`;
  const cleanPath = path.replace(/^\/+/, '');
  return `${cleanBase}${cleanPath}`;
}

function base(): string {
  return import.meta.env.BASE_URL;
}

/** A site-relative path with the configured base in front of it. */
export function withBase(path: string): string {
  return joinBase(base(), path);
}

export function questionPath(slug: string): string {
  return withBase(`questions/${slug}/`);
}

export function shortLinkPath(number: number): string {
  return withBase(`q/${number}/`);
}

export function topicPath(topicId: string): string {
  return withBase(`topics/${topicId}/`);
}

/** An absolute URL (for canonical links and sharing) from a path that already has the base. */
export function absoluteUrl(pathWithBase: string, site: URL | undefined): string {
  if (!site) throw new Error('`site` must be set in astro.config.mjs to build absolute URLs');
  return new URL(pathWithBase, site).href;
}
