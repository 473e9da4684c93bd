import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { close, createIndex } from 'pagefind';

function fail(step: string, errors: readonly string[]): never {
  throw new Error(`Pagefind ${step} failed:\n  ${errors.join('\n  ')}`);
}

/**
 * Builds the search index into `<outDir>/pagefind/` at the end of `astro build`, with
 * Pagefind's Node API. Any indexing error fails the build, and so does an index with no pages,
 * which would mean `data-pagefind-body` went missing.
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
          const ms = Math.round(performance.now() - started);
          logger.info(`indexed ${added.page_count} pages in ${ms} ms`);
        } finally {
          await close();
        }
      },
    },
  };
}
