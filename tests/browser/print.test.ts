import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { builds, rootBuild } from '../support/builds';
import {
  chromiumAvailable,
  chromiumMissingReason,
  openSiteInBrowser,
  type SiteInBrowser,
  collectPageErrors,
} from '../support/browser';
import { requireToolOrSkip } from '../support/skip';
import { loadQuestions } from '../support/questions';

const canRun = requireToolOrSkip(chromiumAvailable, chromiumMissingReason);
const published = loadQuestions().filter((question) => question.data.status === 'published');
// A page with everything print has to handle: code, a diagram, math and external links.
const richest = published.find(
  (question) =>
    /<CodeSample/.test(question.body) &&
    /<Diagram/.test(question.body) &&
    /\$[^$\s]/.test(question.body) &&
    /\]\(https:\/\//.test(question.body),
)!;

/** Pages in a PDF that Chromium wrote: one page object each. */
function pdfPageCount(pdf: Buffer): number {
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g) ?? []).length;
}

/** Opens a page in the dark theme (the reader's choice), collecting console errors. */
async function openDark(site: SiteInBrowser, path: string, width = 600) {
  const context = await site.browser.newContext({
    colorScheme: 'dark',
    viewport: { width, height: 900 },
  });
  await context.addInitScript(() => localStorage.setItem('theme', 'dark'));
  const page = await context.newPage();
  const errors: string[] = [];
  collectPageErrors(page, errors);
  await page.goto(`${site.url}${path}`);
  return { page, errors, close: () => context.close() };
}

const displayOf = (page: Page, selector: string) =>
  page
    .locator(selector)
    .evaluateAll((elements) => elements.map((element) => getComputedStyle(element).display));

describe.skipIf(!canRun).each(builds.map((build) => [build.name, build] as const))(
  '%s build, printing a question',
  (_name, build) => {
    let site: SiteInBrowser;
    let page: Page;
    let errors: string[];
    let close: () => Promise<void>;

    beforeAll(async () => {
      site = await openSiteInBrowser({ outDir: build.outDir, base: build.base });
      ({ page, errors, close } = await openDark(site, `questions/${richest.slug}/`));
    });

    afterAll(async () => {
      await close?.();
      await site?.close();
    });

    test('leaves out navigation, search, theme, skip link, contents and buttons', async () => {
      const chrome = [
        '.site-header',
        '.site-footer',
        '.skip-link',
        'form[role="search"]',
        '[data-theme-toggle]',
        '.question-page__toc',
        '.prev-next',
        '.heading-anchor',
        'button[data-copy]',
      ];
      await page.emulateMedia({ media: 'screen' });
      for (const selector of chrome) {
        const shown = await displayOf(page, selector);
        expect(shown.length, `${selector} is on the page`).toBeGreaterThan(0);
      }
      await page.emulateMedia({ media: 'print' });
      for (const selector of chrome) {
        expect(new Set(await displayOf(page, selector)), selector).toEqual(new Set(['none']));
      }
      expect(await page.locator('h1').isVisible()).toBe(true);
      expect(await page.locator('article.answer').isVisible()).toBe(true);
    });

    test('wraps code instead of cutting it off', async () => {
      const overflowing = () =>
        page
          .locator('pre')
          .evaluateAll(
            (blocks) => blocks.filter((block) => block.scrollWidth > block.clientWidth + 1).length,
          );
      await page.emulateMedia({ media: 'screen' });
      expect(await overflowing(), 'some code is wider than the page on screen').toBeGreaterThan(0);
      await page.emulateMedia({ media: 'print' });
      expect(await overflowing()).toBe(0);
    });

    test('prints in the light palette although the reader chose dark', async () => {
      const colours = () =>
        page.evaluate(() => {
          const token = document.querySelector<HTMLElement>('pre span[style*="--shiki-light:"]')!;
          return {
            text: getComputedStyle(document.body).color,
            background: getComputedStyle(document.body).backgroundColor,
            token: getComputedStyle(token).color,
            tokenLight: token.style.getPropertyValue('--shiki-light').trim(),
          };
        });
      await page.emulateMedia({ media: 'screen' });
      const dark = await colours();
      await page.emulateMedia({ media: 'print' });
      const printed = await colours();
      expect(printed.text).toBe('rgb(26, 31, 36)');
      expect(printed.background).toBe('rgb(255, 255, 255)');
      expect(dark.text).not.toBe(printed.text);
      const [r, g, b] = [1, 3, 5].map((at) => parseInt(printed.tokenLight.slice(at, at + 2), 16));
      expect(printed.token).toBe(`rgb(${r}, ${g}, ${b})`);
    });

    test('shows where external links go, and not internal paths', async () => {
      await page.emulateMedia({ media: 'print' });
      const external = page.locator('article.answer a[href^="https://"]').first();
      const href = await external.getAttribute('href');
      const after = (link: typeof external) =>
        link.evaluate((element) => getComputedStyle(element, '::after').content);
      expect(await after(external)).toBe(`" (${href})"`);
      expect(await after(page.locator('.question-header__kicker a'))).toBe('none');
    });

    test('prints collapsed <details> open', async () => {
      await page.evaluate(() => {
        const details = document.createElement('details');
        details.innerHTML = '<summary>More</summary><p id="print-test-detail">Folded text</p>';
        document.querySelector('article.answer')!.append(details);
      });
      const folded = page.locator('#print-test-detail');
      await page.emulateMedia({ media: 'screen' });
      expect(await folded.evaluate((element) => element.checkVisibility())).toBe(false);
      await page.emulateMedia({ media: 'print' });
      expect(await folded.evaluate((element) => element.checkVisibility())).toBe(true);
    });

    test('saves as a PDF of several pages, with no console errors', async () => {
      const pdf = await page.pdf({ format: 'A4' });
      expect(pdfPageCount(pdf)).toBeGreaterThan(1);
      expect(errors).toEqual([]);
    });
  },
);

describe.skipIf(!canRun)('printing every answer', () => {
  let site: SiteInBrowser;

  beforeAll(async () => {
    site = await openSiteInBrowser({ outDir: rootBuild.outDir, base: rootBuild.base });
  });

  afterAll(async () => {
    await site?.close();
  });

  test(
    'the all-answers page prints each answer from a new page',
    { timeout: 180_000 },
    async () => {
      const { page, errors, close } = await openDark(site, 'all-answers/', 800);
      await page.emulateMedia({ media: 'print' });
      const breaks = await page
        .locator('main article')
        .evaluateAll((articles) =>
          articles.map((article) => getComputedStyle(article).breakBefore),
        );
      expect(breaks).toEqual(published.map(() => 'page'));
      const pdf = await page.pdf({ format: 'A4' });
      expect(pdfPageCount(pdf)).toBeGreaterThan(published.length);
      expect(errors).toEqual([]);
      await close();
    },
  );
});
