import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { rootBuild } from '../support/builds';
import {
  chromiumAvailable,
  chromiumMissingReason,
  openSiteInBrowser,
  type SiteInBrowser,
} from '../support/browser';
import { requireToolOrSkip } from '../support/skip';
import { loadQuestions } from '../support/questions';

const canRun = requireToolOrSkip(chromiumAvailable, chromiumMissingReason);
const withCode = loadQuestions().find(
  (question) => question.data.status === 'published' && /<CodeSample/.test(question.body),
)!;

interface FocusStop {
  label: string;
  visible: boolean;
  indicated: boolean;
}

/** Presses Tab until focus comes back round, recording each stop and whether a reader sees it. */
async function tabThrough(page: Page): Promise<FocusStop[]> {
  const stops: FocusStop[] = [];
  for (let i = 0; i < 400; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (!element || element === document.body) return null;
      const box = element.getBoundingClientRect();
      const style = getComputedStyle(element);
      const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
      return {
        label: `${element.tagName.toLowerCase()} ${(element.textContent ?? '').trim().slice(0, 40) || element.getAttribute('aria-label') || element.id}`,
        key: element.outerHTML.slice(0, 200),
        visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight,
        indicated: outline || style.boxShadow !== 'none',
      };
    });
    if (!stop) break;
    if (stops.length > 0 && stops[0] && stop.label === stops[0].label && i > 0) break;
    stops.push(stop);
  }
  return stops;
}

/** Every element a keyboard user should be able to reach: visible links and enabled controls. */
async function countFocusable(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      [
        ...document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea'),
      ].filter((element) => {
        const style = getComputedStyle(element);
        return (
          element.getClientRects().length > 0 &&
          style.visibility !== 'hidden' &&
          !element.hasAttribute('disabled')
        );
      }).length,
  );
}

describe.skipIf(!canRun)('keyboard only', () => {
  let site: SiteInBrowser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    site = await openSiteInBrowser({ outDir: rootBuild.outDir, base: rootBuild.base });
    context = await site.browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    page = await context.newPage();
  });

  afterAll(async () => {
    await site?.close();
  });

  test.each(['', 'topics/', `questions/${withCode.slug}/`, 'search/?q=attention', 'no-such-page/'])(
    'on /%s every control is reachable with Tab and visibly focused',
    async (path) => {
      await page.goto(`${site.url}${path}`);
      if (path.includes('?q=')) {
        await page.locator('.search-result__title').first().waitFor();
        // Section links join each result once it is on screen: bring them all in first.
        for (const result of await page.locator('.search-results li').all())
          await result.scrollIntoViewIfNeeded();
        await page.waitForLoadState('networkidle');
        await page.evaluate(() => window.scrollTo(0, 0));
      }
      const stops = await tabThrough(page);
      const hidden = stops.filter((stop) => !stop.visible || !stop.indicated);
      expect(hidden.map((stop) => stop.label)).toEqual([]);
      expect(stops.length).toBeGreaterThanOrEqual(await countFocusable(page));
    },
  );

  test('the first Tab reveals a skip link that moves focus to the content', async () => {
    await page.goto(`${site.url}questions/${withCode.slug}/`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
  });

  test('the theme toggle works from the keyboard and the choice is kept', async () => {
    await page.goto(`${site.url}topics/`);
    await page.locator('[data-theme-toggle]').focus();
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.goto(`${site.url}`);
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.locator('[data-theme-toggle]').focus();
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBeUndefined();
  });

  test('a code sample copies from the keyboard, exactly as shown', async () => {
    await page.goto(`${site.url}questions/${withCode.slug}/`);
    const button = page.locator('figure[data-sample] button[data-copy="code"]').first();
    await button.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => button.textContent()).toBe('Copied');
    const shown = await page.locator('figure[data-sample] pre').first().textContent();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(shown);
  });

  test('search opens with "/", filters with arrow keys and opens a result with Enter', async () => {
    await page.goto(`${site.url}questions/${withCode.slug}/`);
    await page.keyboard.press('/');
    await page.keyboard.type('attention');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/search\/\?q=attention/);
    await page.locator('.search-result__title').first().waitFor();
    expect(await page.evaluate(() => document.activeElement?.matches('body, #search-query'))).toBe(
      true,
    );
    await page.locator('#search-query').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    await page.waitForURL(/topic=/);
    // The filtered results replace the others; wait for them before moving into the list.
    await page.waitForFunction(() => {
      const metas = [...document.querySelectorAll('.search-result__meta')];
      return (
        metas.length > 0 && metas.every((meta) => meta.textContent?.startsWith('Fundamentals'))
      );
    });
    await page.locator('#search-query').focus();
    await page.keyboard.press('ArrowDown');
    const first = await page.locator('.search-result__title').first().textContent();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(first);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/questions\//);
    expect(await page.locator('h1').textContent()).toBe(first?.replace(/^\d+\. /, ''));
  });
});
