import { existsSync } from 'node:fs';
import { builds, hostileBuild } from './builds';
import { runAstro } from './astro-cli';

/**
 * Builds the site once for all tests: at the root, and under a sub-path, the way a static host
 * would serve it. Set REUSE_BUILD=1 to test an existing build while iterating on tests.
 */
export default async function setup(): Promise<void> {
  for (const build of [...builds, hostileBuild]) {
    if (process.env.REUSE_BUILD && existsSync(`${build.outDir}/index.html`)) continue;
    const started = Date.now();
    const result = await runAstro(['build', '--outDir', build.outDir], {
      SITE_BASE: build.base,
      ...(build.questionsDir ? { QUESTIONS_DIR: build.questionsDir } : {}),
    });
    if (result.status !== 0)
      throw new Error(`astro build (${build.name}) failed:\n${result.output}`);
    console.log(`built ${build.name} site in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}
