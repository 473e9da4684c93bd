import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { builds } from '../support/builds';
import { axeViolations } from '../support/axe';
import {
  chromiumAvailable,
  chromiumMissingReason,
  openSiteInBrowser,
  type SiteInBrowser,
  collectPageErrors,
} from '../support/browser';
import { requireToolOrSkip } from '../support/skip';
import {
  beamSearch,
  formatTokens,
  weatherMaxLength as maxLength,
  weatherTree as tree,
  type PenaltyKind,
} from '../../src/labs/beam-search';

const canRun = requireToolOrSkip(chromiumAvailable, chromiumMissingReason);

const search = (width: number, alpha: number, kind: PenaltyKind = 'gnmt') =>
  beamSearch(tree, { width, alpha, kind, maxLength });
const expectedKept = (width: number, alpha: number, kind: PenaltyKind = 'gnmt') =>
  search(width, alpha, kind).steps.map((step) =>
    step.kept.map((beam) => formatTokens(beam.tokens)),
  );
const winner = (width: number, alpha: number, kind: PenaltyKind = 'gnmt') =>
  `“${formatTokens(search(width, alpha, kind).best!.tokens)}”`;

/** The kept beams of every step on screen, in the stepper (not the static worked example). */
function shownKept(page: Page, scope = '[data-beam-output]'): Promise<string[][]> {
  return page.$$eval(`${scope} [data-beam-step]`, (steps) =>
    steps.map((step) =>
      [...step.querySelectorAll('[data-kept] li')].map((item) => item.textContent ?? ''),
    ),
  );
}

const result = (page: Page) => page.locator('[data-beam-result]').textContent();
const status = (page: Page) => page.locator('[data-beam-status]').textContent();
const button = (page: Page, action: string) => page.locator(`[data-beam-action="${action}"]`);

/** Moves a range input to a value with the keyboard: Home, then ArrowRight as often as needed. */
async function slide(page: Page, id: string, presses: number) {
  await page.locator(`#${id}`).focus();
  await page.keyboard.press('Home');
  for (let i = 0; i < presses; i++) await page.keyboard.press('ArrowRight');
}

describe.skipIf(!canRun).each(builds.map((build) => [build.name, build] as const))(
  'beam search lab on the %s build',
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

    const open = async () => {
      await page.goto(`${site.url}labs/beam-search/`);
      await page.locator('[data-beam-lab][data-beam-ready]').waitFor({ state: 'attached' });
    };

    test('stepping by keyboard shows the kept beams of the pure search, step by step', async () => {
      await open();
      const expected = expectedKept(2, 0);
      expect(expected).toEqual([
        ['very', 'sunny'],
        ['sunny and', 'very cold'],
      ]);
      expect(await status(page)).toBe('Step 0 of 2 (B = 2, GNMT, α = 0.0): press Step forward.');
      expect(await shownKept(page)).toEqual([]);
      // Back is unavailable at step 0 but still focusable, so Tab moves on to Step forward.
      await button(page, 'back').focus();
      expect(await button(page, 'back').getAttribute('aria-disabled')).toBe('true');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Step forward');
      for (let step = 1; step <= expected.length; step++) {
        await page.keyboard.press(step === 1 ? 'Enter' : 'Space');
        expect(await shownKept(page)).toEqual(expected.slice(0, step));
      }
      // Focus stays on the button; the search stopped early with the short answer.
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Step forward');
      expect(await button(page, 'step').getAttribute('aria-disabled')).toBe('true');
      expect(await status(page)).toContain('Done after 2 steps');
      expect(await result(page)).toContain(`returns ${winner(2, 0)}`);
      expect(winner(2, 0)).toBe('“sunny EOS”');
      expect(await result(page)).toContain(
        'beam search found a more probable sequence than greedy',
      );
      const outcomes = await page
        .locator('[data-beam-output] [data-beam-step="2"] tbody tr td:last-child')
        .allTextContents();
      expect(outcomes).toEqual(
        search(2, 0).steps[1].candidates.map((c) =>
          c.status === 'beam'
            ? 'kept'
            : c.status === 'finished'
              ? 'finished'
              : `pruned: ${c.reason}`,
        ),
      );
      // Enter on a spent button changes nothing; Back by keyboard removes the last step.
      await page.keyboard.press('Enter');
      expect(await shownKept(page)).toHaveLength(2);
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Enter');
      expect(await shownKept(page)).toEqual(expected.slice(0, 1));
      expect(await page.locator('[data-beam-result]').count()).toBe(0);
    });

    test('width and α change the winner as designed, by click and by keyboard', async () => {
      await open();
      await button(page, 'end').click();
      expect(await result(page)).toContain(`returns “sunny EOS”`);
      // α = 1.0 (ten steps of 0.1): the longer answer wins, and the search runs all 4 steps.
      await slide(page, 'beam-alpha', 10);
      expect(await page.locator('[data-beam-alpha-value]').textContent()).toBe('1.0');
      expect(winner(2, 1)).toBe('“sunny and warm EOS”');
      expect(await result(page)).toContain(`returns ${winner(2, 1)}`);
      expect(await shownKept(page)).toEqual(expectedKept(2, 1));
      expect(await shownKept(page)).toHaveLength(4);
      // α = 0.7 is below GNMT's crossover (0.73): the short answer wins again.
      await slide(page, 'beam-alpha', 7);
      expect(await result(page)).toContain('returns “sunny EOS”');
      // ... but not with the simple |Y|^α penalty, whose crossover is 0.27.
      await page.getByLabel('Simple: |Y|^α').click();
      expect(await result(page)).toContain(`returns ${winner(2, 0.7, 'simple')}`);
      expect(winner(2, 0.7, 'simple')).toBe('“sunny and warm EOS”');
      // Width 1 is greedy.
      await page.getByLabel('GNMT: ((5 + |Y|) / 6)^α').click();
      await slide(page, 'beam-width', 0);
      expect(await page.locator('[data-beam-width-value]').textContent()).toBe('1');
      expect(await result(page)).toContain('returns “very cold EOS”');
      expect(await result(page)).toContain('Beam search and greedy agree.');
      expect(await shownKept(page)).toEqual(expectedKept(1, 0.7));
      // Width 4, by click: kept beams step by step after a reset.
      await slide(page, 'beam-width', 3);
      await button(page, 'reset').click();
      expect(await shownKept(page)).toEqual([]);
      const expected = expectedKept(4, 0.7);
      for (let step = 1; step <= expected.length; step++) {
        await button(page, 'step').click();
        expect(await shownKept(page)).toEqual(expected.slice(0, step));
      }
      expect(expected[1]).toEqual(['sunny and', 'very cold', 'very warm', 'very sunny']);
    });

    test('no accessibility violations in either theme after interaction', async () => {
      await open();
      await slide(page, 'beam-alpha', 10);
      await button(page, 'step').click();
      await button(page, 'step').click();
      await button(page, 'step').click();
      for (const theme of ['light', 'dark'] as const) {
        await page.evaluate((name) => (document.documentElement.dataset.theme = name), theme);
        expect(await axeViolations(page), theme).toEqual([]);
      }
    });

    test('without JavaScript: the worked example, computed at build time, and no controls', async () => {
      const context = await site.browser.newContext({ javaScriptEnabled: false });
      const plain = await context.newPage();
      await plain.goto(`${site.url}labs/beam-search/`);
      expect(await plain.locator('[data-beam-controls]').isHidden()).toBe(true);
      expect(await shownKept(plain, '#main')).toEqual(expectedKept(2, 1));
      expect(await plain.locator('[data-example-result]').textContent()).toContain(
        'returns “sunny and warm EOS”',
      );
      expect(await plain.locator('[data-greedy-table] tbody tr').count()).toBe(3);
      const question = plain.locator('.lab-questions a');
      expect(await question.getAttribute('href')).toBe(`${build.base}questions/beam-search/`);
      await context.close();
    });

    test('no page logged an error', () => {
      expect(errors).toEqual([]);
    });
  },
);
