import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { builds, rootBuild } from '../support/builds';
import { axeViolations } from '../support/axe';
import {
  chromiumAvailable,
  chromiumMissingReason,
  openSiteInBrowser,
  type SiteInBrowser,
  collectPageErrors,
} from '../support/browser';
import { readBuiltHeaders } from '../support/csp-headers';
import { requireToolOrSkip, testWhen } from '../support/skip';
import { loadQuestions } from '../support/questions';

const canRun = requireToolOrSkip(chromiumAvailable, chromiumMissingReason);
const published = loadQuestions()
  .filter((question) => question.data.status === 'published')
  .sort((a, b) => a.data.number - b.data.number);
// A question in the middle, so it has both a previous and a next question.
const [previous, middle, next] = published.slice(10, 13);
/** A question whose code sample is wider than the page, so arrow keys must scroll it. */
const withCode = published.find((question) => /<CodeSample/.test(question.body))!;

const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

describe.skipIf(!canRun).each(builds.map((build) => [build.name, build] as const))(
  'keyboard shortcuts, %s build',
  (_name, build) => {
    let site: SiteInBrowser;
    let page: Page;
    const errors: string[] = [];
    const questionUrl = (slug: string) => `${site.url}questions/${slug}/`;

    beforeAll(async () => {
      site = await openSiteInBrowser({
        outDir: build.outDir,
        base: build.base,
        headers: readBuiltHeaders(build.outDir),
      });
      page = await (await site.browser.newContext()).newPage();
      collectPageErrors(page, errors);
    });

    afterAll(async () => {
      expect(errors).toEqual([]);
      await site?.close();
    });

    test('j and k, and the arrow keys, go to the next and previous question', async () => {
      await page.goto(questionUrl(middle.slug));
      await page.keyboard.press('j');
      await page.waitForURL(questionUrl(next.slug));
      await page.keyboard.press('k');
      await page.waitForURL(questionUrl(middle.slug));
      await page.keyboard.press('ArrowLeft');
      await page.waitForURL(questionUrl(previous.slug));
      await page.keyboard.press('ArrowRight');
      await page.waitForURL(questionUrl(middle.slug));
      expect(await page.locator('h1').textContent()).toBe(middle.data.question);
    });

    test('no shortcut fires while typing, with a modifier, or in a wide code block', async () => {
      await page.goto(questionUrl(middle.slug));
      await page.locator('[data-search-input]').focus();
      await page.keyboard.type('jk?');
      expect(await page.locator('[data-search-input]').inputValue()).toBe('jk?');
      await page.keyboard.press('Escape');
      await page.locator('h1').click();
      await page.keyboard.press('Alt+j');
      await page.keyboard.press('Shift+ArrowRight');
      expect(page.url()).toBe(questionUrl(middle.slug));
      expect(await page.locator('[data-shortcuts-dialog]').isVisible()).toBe(false);

      await page.goto(questionUrl(withCode.slug));
      await page.setViewportSize({ width: 360, height: 700 });
      const code = page.locator('figure[data-sample] pre').first();
      const scrolls = await code.evaluate((pre) => pre.scrollWidth > pre.clientWidth);
      expect(scrolls).toBe(true);
      await code.focus();
      await page.keyboard.press('ArrowRight');
      await expect.poll(() => code.evaluate((pre) => pre.scrollLeft)).toBeGreaterThan(0);
      expect(page.url()).toBe(questionUrl(withCode.slug));
      await page.setViewportSize({ width: 1280, height: 720 });
    });

    test('"?" opens the shortcuts, Escape closes them and focus returns', async () => {
      await page.goto(questionUrl(middle.slug));
      const dialog = page.locator('[data-shortcuts-dialog]');
      expect(await dialog.isVisible()).toBe(false);
      const nextLink = page.locator('a[rel="next"]');
      await nextLink.focus();
      await page.keyboard.press('?');
      await dialog.waitFor();
      expect(await page.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(
        true,
      );
      const listed = await dialog.locator('dt').allTextContents();
      expect(listed).toEqual(['/', 'j or →', 'k or ←', 'Space', '1, 2, 3', '?', 'Esc']);
      // Keys do nothing behind the open dialog.
      await page.keyboard.press('j');
      expect(page.url()).toBe(questionUrl(middle.slug));
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      expect(await nextLink.evaluate((link) => link === document.activeElement)).toBe(true);

      // The footer's button opens it too, and Close gives focus back to the button.
      const button = page.getByRole('button', { name: 'Keyboard shortcuts' });
      await button.click();
      await dialog.waitFor();
      await page.getByRole('button', { name: 'Close' }).click();
      await dialog.waitFor({ state: 'hidden' });
      expect(await button.evaluate((element) => element === document.activeElement)).toBe(true);
    });

    test('"/" still focuses the search box', async () => {
      await page.goto(`${site.url}topics/`);
      await page.keyboard.press('/');
      expect(await activeId(page)).toBe('header-search');
    });

    testWhen(build === rootBuild).each(['light', 'dark'] as const)(
      'axe finds nothing with the dialog open in the %s theme',
      async (colorScheme) => {
        const context = await site.browser.newContext({ colorScheme });
        const themed = await context.newPage();
        await themed.goto(`${site.url}practice/`);
        await themed.keyboard.press('?');
        await themed.locator('[data-shortcuts-dialog]').waitFor();
        expect(await axeViolations(themed)).toEqual([]);
        await context.close();
      },
    );

    testWhen(build === rootBuild)('without JavaScript nothing offers the shortcuts', async () => {
      const context = await site.browser.newContext({ javaScriptEnabled: false });
      const plain = await context.newPage();
      await plain.goto(questionUrl(middle.slug));
      expect(await plain.getByRole('button', { name: 'Keyboard shortcuts' }).isVisible()).toBe(
        false,
      );
      expect(await plain.locator('[data-shortcuts-dialog]').isVisible()).toBe(false);
      await context.close();
    });
  },
);
