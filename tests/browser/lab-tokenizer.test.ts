/**
 * The tokenizer lab in Chromium, on both builds and under the CSP the build ships: its counts
 * must equal gpt-tokenizer's own (computed here, in Node), a merge table must load only when
 * its encoding is chosen and say so while it loads, and the page must stay axe-clean.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { countTokens as countCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';
import { countTokens as countR50k } from 'gpt-tokenizer/encoding/r50k_base';
import { builds } from '../support/builds';
import { axeViolations } from '../support/axe';
import {
  chromiumAvailable,
  chromiumMissingReason,
  openSiteInBrowser,
  type SiteInBrowser,
} from '../support/browser';
import { readBuiltHeaders } from '../support/csp-headers';
import { requireToolOrSkip } from '../support/skip';
import { presets, workedExample } from '../../src/labs/tokenizer';

const canRun = requireToolOrSkip(chromiumAvailable, chromiumMissingReason);

const typed = 'Tokenization of 1234567 unbelievable things 🦜 in 2026.';
const emoji = presets.find((preset) => preset.id === 'emoji')!;
const mergeTable = (encoding: string) => new RegExp(`/islands/tokenizer-${encoding}\\.\\w+\\.js$`);

interface Lab {
  page: Page;
  /** Every URL the page requested, in order. */
  requests: string[];
  /** Console errors, script errors and CSP violations. */
  problems: string[];
}

/** Merge tables take a moment to download and parse; a count is awaited, not expected at once. */
const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 20_000, interval: 100 });

const panel = (page: Page, encoding: string) => page.locator(`[data-panel="${encoding}"]`);
const tokenCount = (page: Page, encoding: string) =>
  panel(page, encoding).locator('[data-stat="tokens"]');

describe.skipIf(!canRun).each(builds.map((build) => [build.name, build] as const))(
  '%s build, tokenizer lab',
  (_name, build) => {
    let site: SiteInBrowser;
    let context: BrowserContext;

    beforeAll(async () => {
      site = await openSiteInBrowser({
        outDir: build.outDir,
        base: build.base,
        headers: readBuiltHeaders(build.outDir),
      });
      context = await site.browser.newContext();
    });

    afterAll(async () => {
      await site?.close();
    });

    /** Opens the lab, holding back each merge table's response so its loading state shows. */
    async function openLab(): Promise<Lab> {
      const page = await context.newPage();
      const requests: string[] = [];
      const problems: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      page.on('pageerror', (error) => problems.push(`script error: ${error}`));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`);
      });
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) =>
          console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`),
        );
      });
      await page.route(/\/islands\/tokenizer-/, async (route) => {
        await new Promise((resolve) => setTimeout(resolve, 400));
        await route.continue();
      });
      await page.goto(`${site.url}labs/tokenizer/`);
      await page.waitForLoadState('networkidle');
      return { page, requests, problems };
    }

    test('before the reader uses it, the lab shows the build-time example and loads no table', async () => {
      const { page, requests, problems } = await openLab();
      expect(requests.filter((url) => /\/islands\/tokenizer-/.test(url))).toEqual([]);
      expect(requests.some((url) => /\/islands\/lab-tokenizer\.\w+\.js$/.test(url))).toBe(true);
      await poll(() => tokenCount(page, 'cl100k_base').textContent()).toBe(
        String(countCl100k(workedExample.text)),
      );
      expect(await panel(page, 'cl100k_base').isVisible()).toBe(true);
      expect(await panel(page, 'r50k_base').isVisible()).toBe(false);
      expect(await panel(page, 'o200k_base').isVisible()).toBe(false);
      expect(problems).toEqual([]);
      await page.close();
    });

    test('typing loads GPT-4’s table, saying so, then shows the package’s token count', async () => {
      const { page, requests, problems } = await openLab();
      const status = panel(page, 'cl100k_base').locator('[data-status]');
      await page.getByLabel('Text to tokenize').focus();
      await poll(() => status.textContent()).toMatch(
        /^Loading GPT-4’s merge table \(about \d\.\d MB\)…$/,
      );
      await page.getByLabel('Text to tokenize').fill(typed);
      await poll(() => status.textContent()).toBe('GPT-4’s merge table is loaded: 100,256 tokens.');
      const expected = countCl100k(typed);
      await poll(() => tokenCount(page, 'cl100k_base').textContent()).toBe(String(expected));
      expect(await panel(page, 'cl100k_base').locator('.tok').count()).toBe(expected);
      expect(
        await panel(page, 'cl100k_base').locator('[data-stat="characters"]').textContent(),
      ).toBe(String([...typed].length));
      // The parrot is not in GPT-4's vocabulary: part of it shows as hex bytes.
      expect(
        await panel(page, 'cl100k_base').locator('.tok[data-partial] .tok__text').allTextContents(),
      ).toContain('\\xA6');
      expect(requests.filter((url) => mergeTable('cl100k_base').test(url))).toHaveLength(1);
      expect(requests.some((url) => mergeTable('o200k_base').test(url))).toBe(false);
      expect(requests.some((url) => mergeTable('r50k_base').test(url))).toBe(false);
      // One polite announcement once typing pauses.
      await poll(() => page.locator('[data-announcer]').textContent()).toBe(
        `GPT-4: ${expected} tokens.`,
      );
      expect(problems).toEqual([]);
      await page.close();
    });

    test('GPT-2 and GPT-4o load only when chosen, and count as the package does', async () => {
      const { page, requests, problems } = await openLab();
      await page.getByLabel('Text to tokenize').fill(typed);
      await poll(() => tokenCount(page, 'cl100k_base').textContent()).toBe(
        String(countCl100k(typed)),
      );
      expect(requests.some((url) => mergeTable('o200k_base').test(url))).toBe(false);

      await page.getByRole('checkbox', { name: /GPT-4o/ }).check();
      const status = panel(page, 'o200k_base').locator('[data-status]');
      expect(await status.textContent()).toMatch(
        /^Loading GPT-4o’s merge table \(about \d\.\d MB\)…$/,
      );
      // A panel whose table is not there yet must not show another text's tokens.
      expect(await tokenCount(page, 'o200k_base').textContent()).toBe('…');
      await poll(() => tokenCount(page, 'o200k_base').textContent()).toBe(
        String(countO200k(typed)),
      );
      expect(await status.textContent()).toBe('GPT-4o’s merge table is loaded: 199,998 tokens.');
      expect(requests.some((url) => mergeTable('o200k_base').test(url))).toBe(true);
      expect(requests.some((url) => mergeTable('r50k_base').test(url))).toBe(false);

      await page.getByRole('checkbox', { name: /GPT-2/ }).check();
      await poll(() => tokenCount(page, 'r50k_base').textContent()).toBe(String(countR50k(typed)));
      await poll(() => page.locator('[data-announcer]').textContent()).toBe(
        `GPT-2: ${countR50k(typed)} tokens. GPT-4: ${countCl100k(typed)} tokens. GPT-4o: ${countO200k(typed)} tokens.`,
      );

      await page.getByRole('checkbox', { name: /GPT-4o/ }).uncheck();
      expect(await panel(page, 'o200k_base').isVisible()).toBe(false);
      expect(problems).toEqual([]);
      await page.close();
    });

    test('a preset replaces the text, recounts, and its table lists every token', async () => {
      const { page, problems } = await openLab();
      await page.getByRole('button', { name: 'Emoji' }).click();
      expect(await page.getByLabel('Text to tokenize').inputValue()).toBe(emoji.text);
      expect(await page.locator('[data-look-for]').textContent()).toBe(emoji.lookFor);
      const expected = countCl100k(emoji.text);
      await poll(() => tokenCount(page, 'cl100k_base').textContent()).toBe(String(expected));
      const gpt4 = panel(page, 'cl100k_base');
      await gpt4.getByText('Tokens as a table').click();
      await poll(() => gpt4.locator('tbody tr').count()).toBe(expected);
      expect(await gpt4.locator('tbody tr').first().locator('td').allTextContents()).toEqual([
        '1',
        'I',
        '40',
        '49',
      ]);
      // Hiding the ids hides them in every view.
      await page.getByLabel('Show each token’s id under it').uncheck();
      expect(await gpt4.locator('.tok__id').first().isVisible()).toBe(false);
      expect(problems).toEqual([]);
      await page.close();
    });

    test('after interaction the lab is axe-clean in light and dark themes', async () => {
      const { page, problems } = await openLab();
      await page.getByRole('checkbox', { name: /GPT-2/ }).check();
      await page.getByRole('button', { name: 'Hindi, Chinese, Arabic' }).click();
      const scripts = presets.find((preset) => preset.id === 'scripts')!.text;
      await poll(() => tokenCount(page, 'r50k_base').textContent()).toBe(
        String(countR50k(scripts)),
      );
      await panel(page, 'r50k_base').getByText('Tokens as a table').click();
      for (const theme of ['light', 'dark']) {
        await page.evaluate((value) => (document.documentElement.dataset.theme = value), theme);
        expect(await axeViolations(page), theme).toEqual([]);
      }
      expect(problems).toEqual([]);
      await page.close();
    });

    test('without JavaScript the worked example is static HTML for all three encodings', async () => {
      const noScript = await site.browser.newContext({ javaScriptEnabled: false });
      const page = await noScript.newPage();
      await page.goto(`${site.url}labs/tokenizer/`);
      expect(await page.getByLabel('Text to tokenize').isVisible()).toBe(false);
      expect(await page.locator('.tokenizer-lab__example').textContent()).toContain(
        workedExample.text,
      );
      for (const [encoding, count] of [
        ['r50k_base', countR50k],
        ['cl100k_base', countCl100k],
        ['o200k_base', countO200k],
      ] as const) {
        expect(await panel(page, encoding).isVisible()).toBe(true);
        expect(await tokenCount(page, encoding).textContent()).toBe(
          String(count(workedExample.text)),
        );
        expect(await panel(page, encoding).locator('tbody tr').count()).toBe(
          count(workedExample.text),
        );
      }
      await noScript.close();
    });
  },
);
