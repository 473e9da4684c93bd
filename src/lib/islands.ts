/**
 * Islands that load only when the reader needs them (the header search box, on focus). Astro's
 * own <script> bundling would put a script tag on every page; these are bundled once per build
 * with esbuild and served under a content-hashed name, so pages carry only the URL and a page
 * whose box is never focused fetches no script at all.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'esbuild';

export interface Island {
  /** File name under `islands/`, with a content hash. */
  file: string;
  code: string;
}

const entries = { 'header-search': 'src/scripts/header-search.ts' } as const;
export type IslandName = keyof typeof entries;

const built = new Map<IslandName, Promise<Island>>();

async function bundle(name: IslandName): Promise<Island> {
  // Astro runs from the project root; its bundling moves this module, so import.meta.url
  // cannot locate the sources.
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

export const islandNames = Object.keys(entries) as IslandName[];
