import { resolve } from 'node:path';

export interface SiteBuild {
  name: string;
  /** The questions to build; the real content unless set. */
  questionsDir?: string;
  /** The base path the site is built for. */
  base: string;
  /** Where the build is written. */
  outDir: string;
}

/** The site as the tests build it: once at the root, once under a sub-path. */
export const builds: readonly SiteBuild[] = [
  { name: 'root', base: '/', outDir: resolve('dist') },
  { name: 'sub-path', base: '/genai-interview/', outDir: resolve('dist-subpath') },
];

export const rootBuild = builds[0];

/** A build of one question whose title, summary and body are hostile HTML and script. */
export const hostileBuild: SiteBuild = {
  name: 'hostile',
  base: '/',
  outDir: resolve('dist-hostile'),
  questionsDir: resolve('tests/fixtures/hostile-content'),
};
