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

/**
 * Where the test builds go: the project folder unless TEST_BUILDS_DIR is set, so two people
 * (or two test runs) working in one checkout can each test their own build.
 */
const buildsDir = resolve(process.env.TEST_BUILDS_DIR ?? '.');

/** The site as the tests build it: once at the root, once under a sub-path. */
export const builds: readonly SiteBuild[] = [
  { name: 'root', base: '/', outDir: resolve(buildsDir, 'dist') },
  { name: 'sub-path', base: '/genai-interview/', outDir: resolve(buildsDir, 'dist-subpath') },
];

export const rootBuild = builds[0];

/** A build of one question whose title, summary and body are hostile HTML and script. */
export const hostileBuild: SiteBuild = {
  name: 'hostile',
  base: '/',
  outDir: resolve(buildsDir, 'dist-hostile'),
  questionsDir: resolve('tests/fixtures/hostile-content'),
};
