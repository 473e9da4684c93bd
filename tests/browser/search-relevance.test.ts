import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { rootBuild } from '../support/builds';
import {
  chromiumAvailable,
  chromiumMissingReason,
  openSiteInBrowser,
  type SiteInBrowser,
} from '../support/browser';
import { requireToolOrSkip } from '../support/skip';
import { loadQuestions } from '../support/questions';
import { readerQueries } from '../support/reader-queries';

const canRun = requireToolOrSkip(chromiumAvailable, chromiumMissingReason);
const published = new Set(
  loadQuestions()
    .filter((question) => question.data.status === 'published')
    .map((question) => question.data.number),
);
const queries = readerQueries.filter(([, expected]) => published.has(expected));

/** The question numbers the search page lists for a query, in order. */
async function resultNumbers(page: Page, url: string, query: string): Promise<number[]> {
  await page.goto(`${url}search/?q=${encodeURIComponent(query)}`);
  await page.waitForFunction(() =>
    /found/.test(document.querySelector('[data-search-status]')?.textContent ?? ''),
  );
  const titles = await page.locator('.search-result__title').allTextContents();
  return titles.map((title) => Number(title.split('.')[0]));
}

describe.skipIf(!canRun)('search relevance on reader-phrased queries', () => {
  let site: SiteInBrowser;
  let page: Page;
  const ranks = new Map<string, number>();

  beforeAll(async () => {
    site = await openSiteInBrowser({ outDir: rootBuild.outDir, base: rootBuild.base });
    page = await site.browser.newPage();
  });

  afterAll(async () => {
    await site?.close();
  });

  test('the suite is large enough and mostly not the questions’ own titles', () => {
    expect(queries.length).toBeGreaterThanOrEqual(60);
    const titles = new Set(loadQuestions().map((q) => q.data.question.toLowerCase()));
    const verbatim = queries.filter(([query]) => titles.has(query.toLowerCase()));
    expect(verbatim.length).toBeLessThan(queries.length / 2);
  });

  test.each(queries)('"%s" lists question %i in the top three', async (query, expected) => {
    const numbers = await resultNumbers(page, site.url, query);
    expect(numbers.length, `no results for "${query}"`).toBeGreaterThan(0);
    const rank = numbers.indexOf(expected);
    ranks.set(query, rank);
    expect(rank, `"${query}" gave ${numbers.slice(0, 5).join(', ')}`).toBeGreaterThanOrEqual(0);
    expect(rank).toBeLessThan(3);
  });

  test('at least 90% of the queries put the right question first', () => {
    expect(ranks.size).toBe(queries.length);
    const first = [...ranks.values()].filter((rank) => rank === 0).length;
    const misses = [...ranks].filter(([, rank]) => rank !== 0).map(([query]) => query);
    expect(first / queries.length, `not first: ${misses.join('; ')}`).toBeGreaterThanOrEqual(0.9);
  });
});
