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

/** A lab's page; `labPath()` is the labs index. */
export function labPath(labId?: string): string {
  return withBase(labId ? `labs/${labId}/` : 'labs/');
}

/** The practice page; a shared session adds its query string to this. */
export function practicePath(): string {
  return withBase('practice/');
}

/** The page with every published answer, in order, for printing. */
export function allAnswersPath(): string {
  return withBase('all-answers/');
}

/** The flashcard deck (tab-separated text that Anki imports). */
export function flashcardsPath(): string {
  return withBase('flashcards.txt');
}

/** An absolute URL (for canonical links and sharing) from a path that already has the base. */
export function absoluteUrl(pathWithBase: string, site: URL | undefined): string {
  if (!site) throw new Error('`site` must be set in astro.config.mjs to build absolute URLs');
  return new URL(pathWithBase, site).href;
}
