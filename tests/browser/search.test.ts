import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { builds } from '../support/builds';
import {
  chromiumAvailable,
  chromiumMissingReason,
  openSiteInBrowser,
  type SiteInBrowser,
} from '../support/browser';
import { requireToolOrSkip } from '../support/skip';
import { loadQuestions } from '../support/questions';
import { topics } from '../../src/data/topics';

const canRun = requireToolOrSkip(chromiumAvailable, chromiumMissingReason);
const published = loadQuestions().filter((question) => question.data.status === 'published');

/** A phrase a reader would type for a question, and the question it must find first. */
const keyPhrases: [string, number][] = [
  ['scaled dot-product attention', 12],
  ['hallucination', 70],
  ['transformer block', 39],
  ['GPT-3 predecessors', 4],
  ['BERT significance', 11],
  ['T5 text-to-text', 18],
  ['RoBERTa', 19],
  ['masking in transformers', 20],
  ['GPT series', 21],
  ['preprocessing steps', 29],
  ['tokenization', 30],
  ['vocabulary creation', 31],
  ['different languages', 32],
  ['out-of-vocabulary words', 45],
  ['efficient deployment', 34],
  ['monitor LLMs in production', 35],
  ['evaluate the performance of LLMs', 40],
  ['real-world evaluation', 41],
  ['rollback', 56],
  ['model versioning', 57],
  ['A/B testing', 58],
  ['fine-tuned LLM metrics', 59],
  ['BLEU ROUGE', 71],
  ['long context lengths', 72],
  ['personalized content recommendations', 60],
  ['news article summarizer', 61],
  ['build a chatbot', 62],
  ['code snippets', 63],
  ['legal document review', 64],
];

async function resultCount(page: Page): Promise<number> {
  const status = (await page.locator('[data-search-status]').textContent()) ?? '';
  return /^No answers/.test(status) ? 0 : Number(/^(\d+) answers? found/.exec(status)?.[1]);
}

async function search(page: Page, url: string): Promise<string[]> {
  await page.goto(url);
  await page.waitForFunction(
    () => !/^Type a word/.test(document.querySelector('[data-search-status]')?.textContent ?? ''),
  );
  await page.waitForFunction(() =>
    /found/.test(document.querySelector('[data-search-status]')?.textContent ?? ''),
  );
  return page.locator('.search-result__title').allTextContents();
}

describe.skipIf(!canRun).each(builds.map((build) => [build.name, build] as const))(
  'search on the %s build',
  (_name, build) => {
    let site: SiteInBrowser;
    let page: Page;
    const errors: string[] = [];

    beforeAll(async () => {
      site = await openSiteInBrowser({ outDir: build.outDir, base: build.base });
      page = await site.browser.newPage();
      page.on('pageerror', (error) => errors.push(String(error)));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
    });

    afterAll(async () => {
      await site?.close();
    });

    test.each(keyPhrases.filter(([, number]) => published.some((q) => q.data.number === number)))(
      'searching "%s" returns question %i first',
      async (phrase, number) => {
        const titles = await search(page, `${site.url}search/?q=${encodeURIComponent(phrase)}`);
        expect(titles[0]).toMatch(new RegExp(`^${number}\\. `));
        const href = await page.locator('.search-result__title').first().getAttribute('href');
        expect(href).toMatch(new RegExp(`^${build.base}questions/[a-z0-9-]+/$`));
        await page.locator('.search-result__title').first().click();
        await expect(page.locator('h1').textContent()).resolves.toBe(
          published.find((q) => q.data.number === number)!.data.question,
        );
      },
    );

    test('every published question is found first by its own title', async () => {
      for (const question of published) {
        const titles = await search(
          page,
          `${site.url}search/?q=${encodeURIComponent(question.data.question)}`,
        );
        expect(titles[0], question.data.question).toBe(
          `${question.data.number}. ${question.data.question}`,
        );
      }
    });

    test('a topic filter narrows the results to that topic', async () => {
      await search(page, `${site.url}search/?q=attention`);
      const everything = await resultCount(page);
      const topic = topics.find((candidate) => candidate.id === 'architecture')!;
      await search(page, `${site.url}search/?q=attention&topic=${encodeURIComponent(topic.title)}`);
      const filtered = await resultCount(page);
      expect(filtered).toBeGreaterThan(0);
      expect(filtered).toBeLessThan(everything);
      // Show every page of results, then check each one is in the topic.
      const more = page.locator('[data-search-more]');
      while (await more.isVisible()) {
        const shown = await page.locator('.search-result__title').count();
        await more.click();
        // Wait for the page of results before asking again whether there are more.
        await page.waitForFunction(
          (before) => document.querySelectorAll('.search-result__title').length > before,
          shown,
        );
      }
      const titles = await page.locator('.search-result__title').allTextContents();
      expect(titles).toHaveLength(filtered);
      const inTopic = published
        .filter((q) => q.data.topic === 'architecture')
        .map((q) => `${q.data.number}. ${q.data.question}`);
      for (const title of titles) expect(inTopic).toContain(title);
      for (const meta of await page.locator('.search-result__meta').allTextContents()) {
        expect(meta.startsWith(topic.title)).toBe(true);
      }
    });

    test('results come five at a time, and "Show more results" moves focus to the next one', async () => {
      await search(page, `${site.url}search/?q=model`);
      const total = await resultCount(page);
      expect(total).toBeGreaterThan(5);
      expect(await page.locator('.search-result__title').count()).toBe(5);
      await page.locator('[data-search-more]').focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction(
        () => document.querySelectorAll('.search-result__title').length > 5,
      );
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
        await page.locator('.search-result__title').nth(5).textContent(),
      );
    });

    test('choosing a filter with the keyboard updates the results and the URL', async () => {
      await page.goto(`${site.url}search/`);
      await page.keyboard.press('/');
      await page.keyboard.type('attention');
      await page.waitForFunction(() =>
        /found/.test(document.querySelector('[data-search-status]')?.textContent ?? ''),
      );
      await page.keyboard.press('Tab');
      await page.keyboard.press('ArrowDown');
      await page.waitForURL(/topic=/);
      expect(new URL(page.url()).searchParams.get('topic')).toBe(topics[0].title);
    });

    test('a query made of HTML and script is shown as inert text', async () => {
      const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>"\'&';
      await page.goto(`${site.url}search/?q=${encodeURIComponent(hostile)}`);
      await page.waitForFunction(() =>
        /found/.test(document.querySelector('[data-search-status]')?.textContent ?? ''),
      );
      expect(await page.inputValue('[data-search-input]')).toBe(hostile);
      expect(await page.locator('[data-search-status]').textContent()).toContain(hostile);
      expect(await page.locator('main img, main script:not([type])').count()).toBe(0);
      expect(
        await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned),
      ).toBeUndefined();
    });

    test('the header search box on any page leads to results, and "/" focuses it', async () => {
      await page.goto(`${site.url}topics/`);
      await page.keyboard.press('/');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('header-search');
      await page.keyboard.type('attention');
      await page.keyboard.press('Enter');
      await page.waitForURL(/search\/\?q=attention/);
      await page.waitForFunction(() =>
        /found/.test(document.querySelector('[data-search-status]')?.textContent ?? ''),
      );
      expect(await page.locator('.search-result__title').count()).toBeGreaterThan(0);
    });

    test('question pages fetch no script until the reader searches', async () => {
      const question = published[0];
      const scripts: string[] = [];
      page.on('request', (request) => {
        if (request.resourceType() === 'script') scripts.push(request.url());
      });
      await page.goto(`${site.url}questions/${question.slug}/`);
      await page.goto(`${site.url}q/${question.data.number}/`);
      await page.waitForURL(/questions\//);
      expect(scripts).toEqual([]);
    });

    test('no page logged an error', () => {
      expect(errors).toEqual([]);
    });
  },
);
