import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { builds } from '../support/builds';
import {
  chromiumAvailable,
  chromiumMissingReason,
  openSiteInBrowser,
  type SiteInBrowser,
  collectPageErrors,
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
  ['LLM sentiment analysis calibration', 6],
  ['top-p temperature synthetic data', 7],
  ['LLM machine translation evaluation', 8],
  ['chat template chatbot history', 9],
  ['warmup cosine WSD schedule', 24],
  ['gradient clipping loss spikes', 73],
  ['Kaplan vs Chinchilla hyperparameters', 23],
  ['gradient checkpointing recomputation', 26],
  ['training memory bytes per parameter', 28],
  ['critical batch size tokens', 25],
  ['GPU selection LLM training', 36],
  ['multi-GPU distributed training', 37],
  ['LLM training pitfalls loss spikes', 47],
  ['pre-training vs fine-tuning', 14],
  ['transfer learning linear probe', 43],
  ['LLM overfitting early stopping', 33],
  ['LoRA QLoRA fine-tuning', 42],
  ['knowledge distillation temperature', 27],
  ['RLHF DPO GRPO', 54],
  ['domain-specific LLM examples', 5],
  ['triplet loss hard negatives', 74],
  ['binary embedding quantization', 75],
  ['embeddings in LLMs', 44],
  ['RAG reranking summarization', 10],
  ['LLM bias benchmarks BBQ', 46],
  ['EU AI Act model cards', 48],
  ['LLM privacy differential privacy', 49],
  ['integrated gradients completeness LLM', 50],
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
      collectPageErrors(page, errors);
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

    test('results come ten at a time, and "Show more results" moves focus to the next one', async () => {
      await search(page, `${site.url}search/?q=model`);
      const total = await resultCount(page);
      expect(total).toBeGreaterThan(10);
      expect(await page.locator('.search-result__title').count()).toBe(10);
      await page.locator('[data-search-more]').focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction(
        () => document.querySelectorAll('.search-result__title').length > 10,
      );
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
        await page.locator('.search-result__title').nth(10).textContent(),
      );
    });

    const notice = () => page.locator('[data-search-notice]');

    test('an exact match shows no notice', async () => {
      await search(page, `${site.url}search/?q=${encodeURIComponent('kv cache')}`);
      await expect(notice().isHidden()).resolves.toBe(true);
    });

    test('words no answer has are left out, and the notice says which', async () => {
      const titles = await search(page, `${site.url}search/?q=attention%20xylophonequux`);
      expect(titles.length).toBeGreaterThan(0);
      await expect(notice().isVisible()).resolves.toBe(true);
      const text = await notice().textContent();
      expect(text).toContain('No answer has every word');
      expect(text).toContain('“xylophonequux”');
    });

    test('when no answer has every word, answers with most of them are shown, and it says so', async () => {
      // Two words that are on the site but never on the same page.
      const pages = readdirSync(join(build.outDir, 'questions'));
      const having = (word: string) =>
        pages.filter((slug) =>
          readFileSync(join(build.outDir, 'questions', slug, 'index.html'), 'utf8')
            .toLowerCase()
            .includes(word),
        );
      const [first, second] = [having('bloomberggpt'), having('eliza')];
      expect(first.length).toBeGreaterThan(0);
      expect(second.length).toBeGreaterThan(0);
      expect(first.filter((slug) => second.includes(slug))).toEqual([]);
      const titles = await search(page, `${site.url}search/?q=bloomberggpt%20eliza`);
      expect(await notice().textContent()).toContain('showing answers with most of them');
      expect(await resultCount(page)).toBeGreaterThanOrEqual(2);
      expect(titles.some((title) => title.startsWith('5. '))).toBe(true);
    });

    test('a one-letter typo is corrected, and the notice says so', async () => {
      const titles = await search(page, `${site.url}search/?q=halucination`);
      expect(titles[0]).toMatch(/^70\. /);
      const text = await notice().textContent();
      expect(text).toContain('“halucination”');
      expect(text).toContain('“hallucination”');
    });

    test('a query with no known word says so and offers the topics', async () => {
      await search(page, `${site.url}search/?q=qzxqzxqzx`);
      expect(await page.locator('[data-search-status]').textContent()).toMatch(/^No answers/);
      const topicLinks = page.locator('[data-search-empty] a');
      await expect(topicLinks.count()).resolves.toBe(topics.length);
      expect(await topicLinks.first().getAttribute('href')).toBe(
        `${build.base}topics/${topics[0].id}/`,
      );
    });

    test('a result links to the section where its matches are', async () => {
      const titles = await search(page, `${site.url}search/?q=beam%20search%20length%20penalty`);
      expect(titles[0]).toMatch(/^66\. /);
      const section = page.locator('.search-result__section a').first();
      await section.waitFor();
      const text = (await section.textContent())!;
      const href = (await section.getAttribute('href'))!;
      expect(href).toMatch(new RegExp(`^${build.base}questions/beam-search/#[a-z0-9-]+$`));
      await section.click();
      await page.waitForURL(/#/);
      const id = decodeURIComponent(new URL(page.url()).hash.slice(1));
      expect((await page.locator(`[id="${id}"]`).textContent())?.trim()).toBe(text);
      // The section (its heading to the next heading) holds the query's rarer words.
      const body = await page.evaluate((headingId) => {
        const heading = document.getElementById(headingId)!;
        // The heading may sit in a wrapper beside its anchor link.
        const block = heading.parentElement?.querySelector(':scope > h2, :scope > h3')
          ? (heading.parentElement.closest('article > *') ?? heading)
          : heading;
        let node = block.nextElementSibling;
        let collected = '';
        while (node && !node.matches('h2, h3') && !node.querySelector(':scope > h2, :scope > h3')) {
          collected += ` ${node.textContent ?? ''}`;
          node = node.nextElementSibling;
        }
        return collected.toLowerCase();
      }, id);
      expect(body).toContain('length');
      expect(body).toMatch(/penalt/);
    });

    test('the header box shows results as you type, by keyboard only', async () => {
      const scripts: string[] = [];
      const onRequest = (request: { resourceType(): string; url(): string }) => {
        if (request.resourceType() === 'script') scripts.push(request.url());
      };
      page.on('request', onRequest);
      await page.goto(`${site.url}topics/`);
      expect(scripts).toEqual([]);
      await page.keyboard.press('/');
      await page.keyboard.type('kv cache');
      const popup = page.locator('[data-search-popup]');
      // On a slow machine the list may first show results for "k" while the reader is still
      // typing; wait for the list of the whole query.
      await popup.locator('[data-search-popup-status]', { hasText: 'for “kv cache”' }).waitFor();
      await popup.locator('.search-result__title').first().waitFor();
      page.off('request', onRequest);
      expect(scripts.some((url) => /\/islands\/header-search\.[0-9a-f]+\.js$/.test(url))).toBe(
        true,
      );
      await expect(popup.isVisible()).resolves.toBe(true);
      expect(await popup.locator('[data-search-popup-status]').textContent()).toMatch(
        /answers? for “kv cache”/,
      );
      await page.keyboard.press('ArrowDown');
      const first = popup.locator('.search-result__title').first();
      expect(await page.evaluate(() => document.activeElement?.className)).toBe(
        'search-result__title',
      );
      const href = (await first.getAttribute('href'))!;
      await page.keyboard.press('ArrowUp');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('header-search');
      await page.keyboard.press('Escape');
      await expect(popup.isHidden()).resolves.toBe(true);
      // Down reopens the list on its first result.
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await page.waitForURL(new RegExp(`${href}$`));
      expect(new URL(page.url()).pathname).toBe(href);
    });

    test('the header box shows a hostile query as inert text', async () => {
      const hostile = '<img src=x onerror="window.__pwned=1">';
      await page.goto(`${site.url}topics/`);
      await page.keyboard.press('/');
      await page.keyboard.insertText(hostile);
      const status = page.locator('[data-search-popup-status]');
      await page.waitForFunction(
        () => (document.querySelector('[data-search-popup-status]')?.textContent ?? '') !== '',
      );
      expect(await status.textContent()).toContain(hostile);
      expect(await page.locator('[data-search-popup] img').count()).toBe(0);
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

    test('question pages fetch no search script until the reader searches', async () => {
      const question = published[0];
      const scripts: string[] = [];
      page.on('request', (request) => {
        if (request.resourceType() === 'script') scripts.push(request.url());
      });
      await page.goto(`${site.url}questions/${question.slug}/`);
      await page.goto(`${site.url}q/${question.data.number}/`);
      await page.waitForURL(/questions\//);
      // Only the study island (marking, self-test) loads with the page; nothing for search.
      expect(scripts.length).toBeGreaterThan(0);
      for (const url of scripts)
        expect(new URL(url).pathname).toMatch(/\/islands\/study-question\.[0-9a-f]{10}\.js$/);
    });

    test('no page logged an error', () => {
      expect(errors).toEqual([]);
    });
  },
);
