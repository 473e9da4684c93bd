import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
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
import {
  chunkRanges,
  compareWords,
  groupEntries,
  readMeta,
  readWordChunk,
  writeMeta,
  writeWordChunk,
  type ChunkRange,
  type WordEntry,
} from '../utils/pagefind-word-index';

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
 * CBOR bytes per word index chunk: about 5 KB compressed, against Pagefind's 32 KB. A query
 * word then costs one small chunk; more chunks add only about 30 bytes each to the metadata.
 */
const wordChunkBytes = 10_000;

/** A file name for these bytes: the language, then the first hex digits of their hash. */
function contentName(language: string, bytes: Uint8Array, digits: number, taken: Set<string>) {
  const hash = createHash('sha256').update(bytes).digest('hex');
  let name = `${language}_${hash.slice(0, digits)}`;
  for (let more = digits + 1; taken.has(name); more++) name = `${language}_${hash.slice(0, more)}`;
  taken.add(name);
  return name;
}

/**
 * Regroups each language's word index into chunks of `wordChunkBytes` (see
 * `src/utils/pagefind-word-index.ts`), writes the metadata that lists them under a new name,
 * points `pagefind-entry.json` at it and removes the old files. Returns the chunk counts.
 */
async function resplitWordIndex(pagefindDir: string): Promise<string> {
  const entryFile = join(pagefindDir, 'pagefind-entry.json');
  const entry = JSON.parse(await readFile(entryFile, 'utf8')) as {
    languages: Record<string, { hash: string }>;
  };
  const counts: string[] = [];
  for (const [language, info] of Object.entries(entry.languages)) {
    const metaFile = join(pagefindDir, `pagefind.${info.hash}.pf_meta`);
    const meta = readMeta(gunzipSync(await readFile(metaFile)), metaFile);
    const entries: WordEntry[] = [];
    for (const chunk of meta.chunks) {
      const file = join(pagefindDir, 'index', `${chunk.hash}.pf_index`);
      entries.push(...readWordChunk(gunzipSync(await readFile(file)), file));
    }
    for (let i = 1; i < entries.length; i++)
      if (compareWords(entries[i - 1].word, entries[i].word) >= 0)
        fail('re-splitting the index', [
          `${metaFile}: words out of order: "${entries[i - 1].word}" before "${entries[i].word}"`,
        ]);
    const groups = groupEntries(entries, wordChunkBytes);
    const taken = new Set<string>();
    const chunks: ChunkRange[] = [];
    const ranges = chunkRanges(groups);
    for (const [i, group] of groups.entries()) {
      const bytes = writeWordChunk(group);
      const hash = contentName(language, bytes, 7, taken);
      await writeFile(join(pagefindDir, 'index', `${hash}.pf_index`), gzipSync(bytes));
      chunks.push({ ...ranges[i], hash });
    }
    const newMeta = writeMeta(meta, chunks);
    const metaHash = contentName(language, newMeta, 10, new Set());
    await writeFile(join(pagefindDir, `pagefind.${metaHash}.pf_meta`), gzipSync(newMeta));
    for (const old of meta.chunks)
      if (!taken.has(old.hash)) await rm(join(pagefindDir, 'index', `${old.hash}.pf_index`));
    if (metaHash !== info.hash) await rm(metaFile);
    info.hash = metaHash;
    counts.push(`${language}: ${meta.chunks.length} → ${chunks.length} chunks`);
  }
  await writeFile(entryFile, JSON.stringify(entry));
  return counts.join(', ');
}

/**
 * Builds the search index into `<outDir>/pagefind/` at the end of `astro build`, with
 * Pagefind's Node API. Any indexing error fails the build, and so does an index with no pages,
 * which would mean `data-pagefind-body` went missing. Then it splits the word index into smaller
 * chunks and writes the search catalogue.
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
          const resplit = await resplitWordIndex(`${outDir}/pagefind`);
          const catalogued = await writeCatalogue(`${outDir}/pagefind`);
          const ms = Math.round(performance.now() - started);
          logger.info(
            `indexed ${added.page_count} pages in ${ms} ms (${resplit}); catalogued ${catalogued}`,
          );
        } finally {
          await close();
        }
      },
    },
  };
}
