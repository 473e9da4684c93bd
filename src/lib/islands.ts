/**
 * Islands that load only when the reader needs them (the header search box on focus; a lab or
 * the study tools on the pages that use them). Every `src/islands/<name>.ts` is one island;
 * the header box lives beside the search engine it shares with the search page. Astro's
 * own <script> bundling would put a script tag on every page; these are bundled once per build
 * with esbuild and served under a content-hashed name, so pages carry only the URL and a page
 * whose box is never focused fetches no script at all.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { build } from 'esbuild';

export interface Island {
  /** File name under `islands/`, with a content hash. */
  file: string;
  code: string;
}

const islandsDir = 'src/islands';

const entries: Record<string, string> = {
  'header-search': 'src/scripts/header-search.ts',
  ...Object.fromEntries(
    (existsSync(resolve(islandsDir)) ? readdirSync(resolve(islandsDir)) : [])
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
      .map((file) => [basename(file, '.ts'), `${islandsDir}/${file}`]),
  ),
};
/** An island's name: its file name in `src/islands/` without `.ts`, or `header-search`. */
export type IslandName = string;

const built = new Map<IslandName, Promise<Island>>();

async function bundle(name: IslandName): Promise<Island> {
  // Astro runs from the project root; its bundling moves this module, so import.meta.url
  // cannot locate the sources.
  if (!(name in entries)) throw new Error(`island "${name}": no file ${islandsDir}/${name}.ts`);
  const entry = resolve(entries[name]);
  if (!existsSync(entry)) throw new Error(`island "${name}": ${entry} does not exist`);
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    minify: true,
    write: false,
    target: 'es2022',
    legalComments: 'none',
    // Module scripts are always read as UTF-8; escaping non-ASCII text (merge tables) would
    // add a third to their size.
    charset: 'utf8',
    define: { 'import.meta.env.DEV': 'false' },
    logLevel: 'silent',
  });
  if (result.errors.length > 0)
    throw new Error(`island "${name}": ${result.errors.map((e) => e.text).join('; ')}`);
  const code = result.outputFiles[0].text;
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 10);
  return { file: `${name}.${hash}.js`, code };
}

/** The island's bundle, built once per build. */
export function getIsland(name: IslandName): Promise<Island> {
  let island = built.get(name);
  if (!island) {
    island = bundle(name);
    built.set(name, island);
  }
  return island;
}

export const islandNames: readonly IslandName[] = Object.keys(entries);
