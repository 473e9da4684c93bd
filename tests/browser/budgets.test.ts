/**
 * Performance budgets, on the deterministic figures only (bytes and requests, never times), for
 * the root build served gzip-compressed on loopback. `npm run bench` prints the full figures.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rootBuild } from '../support/builds';
import {
  chromiumAvailable,
  chromiumMissingReason,
  openSiteInBrowser,
  type SiteInBrowser,
} from '../support/browser';
import { requireToolOrSkip } from '../support/skip';
import { loadQuestions } from '../support/questions';
import {
  freshFirstVisit,
  kilobytes,
  measureFirstVisit,
  measureSearchRun,
  representativeSearches,
  withFreshPage,
  type Weight,
} from '../support/page-weight';

const canRun = requireToolOrSkip(chromiumAvailable, chromiumMissingReason);
const published = loadQuestions().filter((question) => question.data.status === 'published');

/** A published question with neither math nor a code sample: the budget's plain page. */
const plainSlug = 'applications-of-llms';

const questionPageBudget = 25 * 1024;
/**
 * The targets. The first query loads Pagefind's script and WebAssembly (72 KB), our
 * catalogue (11 KB) and a 5 KB index chunk per word; a later query only its chunks and the
 * headings of the results shown.
 */
const firstQueryBudget = 120 * 1024;
const laterQueryBudget = 30 * 1024;
/** The allowance for marking and the self-test on a question page (headers included). */
const studyIslandBudget = 5 * 1024;

/** The figures behind a failure: the total, then each file, heaviest first. */
function describeWeight(what: string, weight: Weight): string {
  const files = [...weight.resources]
    .sort((a, b) => b.bytes - a.bytes)
    .map((resource) => `  ${kilobytes(resource.bytes)} KB ${new URL(resource.url).pathname}`);
  return [
    `${what}: ${kilobytes(weight.total.bytes)} KB in ${weight.total.requests} requests`,
    ...files,
  ].join('\n');
}

describe.skipIf(!canRun)('performance budgets', () => {
  let site: SiteInBrowser;

  beforeAll(async () => {
    site = await openSiteInBrowser({
      outDir: rootBuild.outDir,
      base: rootBuild.base,
      compress: true,
    });
  });

  afterAll(async () => {
    await site?.close();
  });

  test('the plain question page has neither math nor a code sample', () => {
    const plain = published.find((question) => question.slug === plainSlug);
    expect(plain, `${plainSlug} is published`).toBeDefined();
    expect(plain!.body).not.toMatch(/<CodeSample|\$/);
  });

  test('a question page without math or code weighs under 25 KB compressed', async () => {
    const weight = await freshFirstVisit(site.browser, `${site.url}questions/${plainSlug}/`);
    expect(weight.total.bytes, describeWeight(plainSlug, weight)).toBeLessThan(questionPageBudget);
  });

  // A fresh browser context and half a second of network quiet per page.
  test(
    'each published question page loads one script, the study island: a deferred module under 5 KB',
    { timeout: 30_000 + published.length * 5_000 },
    async () => {
      expect(published.length).toBeGreaterThan(0);
      const problems: string[] = [];
      for (const question of published) {
        const { weight, tags } = await withFreshPage(site.browser, async (page) => ({
          weight: await measureFirstVisit(page, `${site.url}questions/${question.slug}/`),
          tags: await page.evaluate(() =>
            [...document.scripts].filter((script) => script.src).map((script) => script.type),
          ),
        }));
        const scripts = weight.resources.filter((resource) => resource.kind === 'js');
        const names = scripts.map((script) => new URL(script.url).pathname.replace(/.*\//, ''));
        if (scripts.length !== 1 || !/^study-question\.[0-9a-f]{10}\.js$/.test(names[0]))
          problems.push(`${question.slug}: loads ${names.join(', ') || 'no script'}`);
        else if (scripts[0].bytes > studyIslandBudget)
          problems.push(`${question.slug}: ${names[0]} is ${kilobytes(scripts[0].bytes)} KB`);
        // A module script is deferred: it never blocks parsing or the first paint.
        if (tags.join() !== 'module')
          problems.push(`${question.slug}: script tags of type ${tags.join() || 'none'}`);
      }
      expect(problems).toEqual([]);
    },
  );

  test.each(representativeSearches)(
    'searching $first fetches at most 120 KB, and then $later at most 30 KB',
    async ({ first, later }) => {
      const run = await withFreshPage(site.browser, (page) =>
        measureSearchRun(page, `${site.url}search/`, first, later, 'pasted'),
      );
      expect
        .soft(run.firstQuery.total.bytes, describeWeight(`"${first}"`, run.firstQuery))
        .toBeLessThanOrEqual(firstQueryBudget);
      expect
        .soft(run.laterQuery.total.bytes, describeWeight(`then "${later}"`, run.laterQuery))
        .toBeLessThanOrEqual(laterQueryBudget);
    },
  );
});
