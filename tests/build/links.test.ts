import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { builds } from '../support/builds';
import { $$, attr, readSite, type BuiltPage } from '../support/html';

/** Maps a URL path on the site to the file that serves it, or undefined if none does. */
function fileForPath(outDir: string, base: string, path: string): string | undefined {
  if (!path.startsWith(base)) return undefined;
  const relativePath = decodeURIComponent(path.slice(base.length));
  const candidates =
    relativePath === '' || relativePath.endsWith('/')
      ? [join(outDir, relativePath, 'index.html')]
      : [join(outDir, relativePath), join(outDir, relativePath, 'index.html')];
  return candidates.find((candidate) => existsSync(candidate));
}

describe.each(builds.map((build) => [build.name, build] as const))(
  '%s build',
  (_name, { outDir, base }) => {
    const pages = readSite(outDir, base);
    const byFile = new Map(pages.map((page) => [page.file, page]));
    // Collected once per page: the all-answers page has 1,600 links into its own 1,400 ids.
    const idsByFile = new Map<string, Set<string | undefined>>();
    const ids = (page: BuiltPage) => {
      let found = idsByFile.get(page.file);
      if (!found) {
        found = new Set($$(page, '[id]').map((element) => attr(element, 'id')));
        idsByFile.set(page.file, found);
      }
      return found;
    };

    test('every internal link and fragment resolves', () => {
      const broken: string[] = [];
      for (const page of pages) {
        const references = [
          ...$$(page, 'a[href]').map((element) => attr(element, 'href')!),
          ...$$(page, 'link[href]').map((element) => attr(element, 'href')!),
          ...$$(page, '[src]').map((element) => attr(element, 'src')!),
        ];
        for (const reference of references) {
          const url = new URL(reference, `http://site.test${page.url}`);
          if (url.origin !== 'http://site.test') continue;
          const file = fileForPath(outDir, base, url.pathname);
          if (!file) {
            broken.push(`${page.url} -> ${reference}`);
            continue;
          }
          if (url.hash && file.endsWith('.html')) {
            const target = byFile.get(file);
            if (!target || !ids(target).has(decodeURIComponent(url.hash.slice(1))))
              broken.push(`${page.url} -> ${reference}`);
          }
        }
      }
      expect(broken).toEqual([]);
    });

    test('every link stays under the base path', () => {
      for (const page of pages) {
        for (const element of $$(page, 'a[href^="/"], link[href^="/"], script[src^="/"]')) {
          const value = attr(element, 'href') ?? attr(element, 'src')!;
          expect(value.startsWith(base), `${page.url}: ${value}`).toBe(true);
        }
      }
    });
  },
);
