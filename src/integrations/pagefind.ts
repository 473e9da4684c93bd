import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { AstroIntegration } from 'astro';
import { close, createIndex } from 'pagefind';
import { synonymGroups } from '../data/search-synonyms';
import {
  absentForms,
  catalogueEntry,
  sectionAnchors,
  vocabularyShards,
  type PagefindFragment,
  type SearchCatalogue,
} from '../utils/search-catalogue';

function fail(step: string, errors: readonly string[]): never {
  throw new Error(`Pagefind ${step} failed:\n  ${errors.join('\n  ')}`);
}

/** Pagefind's fragments are gzip files whose text starts with this signature. */
const fragmentSignature = 'pagefind_dcd';

/**
 * Writes `catalogue.json` (what a result list shows, keyed by page id), `sections/<id>.json`
 * (each page's headings) and `vocabulary/<letter>.json` (the site's words, to tell and correct
 * typos) beside Pagefind's files, from the fragments it just wrote.
 */
/** Returns how many pages it catalogued. */
async function writeCatalogue(pagefindDir: string): Promise<number> {
  const fragmentDir = join(pagefindDir, 'fragment');
  const fragments: [string, PagefindFragment][] = [];
  for (const file of (await readdir(fragmentDir)).sort()) {
    const text = gunzipSync(await readFile(join(fragmentDir, file))).toString('utf8');
    if (!text.startsWith(fragmentSignature))
      fail('reading fragments', [`${file} is not a Pagefind fragment`]);
    const id = file.replace(/\.pf_fragment$/, '');
    fragments.push([id, JSON.parse(text.slice(fragmentSignature.length)) as PagefindFragment]);
  }
  const shards = vocabularyShards(fragments.map(([, fragment]) => fragment));
  const catalogue: SearchCatalogue = { pages: {}, absentForms: absentForms(synonymGroups, shards) };
  await mkdir(join(pagefindDir, 'sections'), { recursive: true });
  for (const [id, fragment] of fragments) {
    catalogue.pages[id] = catalogueEntry(fragment);
    const sections = JSON.stringify(sectionAnchors(fragment.anchors));
    await writeFile(join(pagefindDir, 'sections', `${id}.json`), sections);
  }
  await writeFile(join(pagefindDir, 'catalogue.json'), JSON.stringify(catalogue));
  await mkdir(join(pagefindDir, 'vocabulary'), { recursive: true });
  for (const [shard, words] of Object.entries(shards))
    await writeFile(join(pagefindDir, 'vocabulary', `${shard}.json`), JSON.stringify(words));
  return fragments.length;
}

/**
 * Builds the search index into `<outDir>/pagefind/` at the end of `astro build`, with
 * Pagefind's Node API. Any indexing error fails the build, and so does an index with no pages,
 * which would mean `data-pagefind-body` went missing. Then it writes the search catalogue.
 */
export function pagefindIntegration(): AstroIntegration {
  return {
    name: 'pagefind',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const outDir = fileURLToPath(dir);
        const started = performance.now();
        try {
          const { index, errors } = await createIndex({ forceLanguage: 'en' });
          if (!index) fail('createIndex', errors);
          if (errors.length > 0) fail('createIndex', errors);
          const added = await index.addDirectory({ path: outDir });
          if (added.errors.length > 0) fail('indexing', added.errors);
          if (added.page_count === 0) fail('indexing', ['no page has data-pagefind-body']);
          const written = await index.writeFiles({ outputPath: `${outDir}/pagefind` });
          if (written.errors.length > 0) fail('writing the index', written.errors);
          const catalogued = await writeCatalogue(`${outDir}/pagefind`);
          const ms = Math.round(performance.now() - started);
          logger.info(`indexed ${added.page_count} pages in ${ms} ms; catalogued ${catalogued}`);
        } finally {
          await close();
        }
      },
    },
  };
}
