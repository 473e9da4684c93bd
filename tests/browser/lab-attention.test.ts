import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
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
  attention,
  describeAttention,
  formatScore,
  formatWeight,
  getAttentionPreset,
  meanMaxWeight,
  sentence,
  type MaskSetting,
  type Matrix,
} from '../../src/labs/attention';

const canRun = requireToolOrSkip(chromiumAvailable, chromiumMissingReason);
const lab = '[data-lab-attention]';
const matrixNames = ['scaled-scores', 'raw-scores', 'weights', 'unscaled-weights'] as const;

/** Each table's cells as shown, by name. */
async function readMatrices(page: Page): Promise<Record<string, string[][]>> {
  const entries = await Promise.all(
    matrixNames.map(async (name) => [
      name,
      await page.$$eval(`${lab} [data-matrix="${name}"] tbody tr`, (rows) =>
        rows.map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent!.trim())),
      ),
    ]),
  );
  return Object.fromEntries(entries);
}

/** What the tables must show, from the same pure functions. */
function expectedMatrices(queries: Matrix, keys: Matrix, mask: MaskSetting) {
  const result = attention(queries, keys, mask);
  const show = (values: Matrix, format: typeof formatWeight) =>
    values.map((row, i) => row.map((value, j) => format(value, result.allowed[i][j])));
  return {
    'scaled-scores': show(result.scaledScores, formatScore),
    'raw-scores': show(result.rawScores, formatScore),
    weights: show(result.weights, formatWeight),
    'unscaled-weights': show(result.unscaledWeights, formatWeight),
  };
}

const pronoun = getAttentionPreset('pronoun');

describe.skipIf(!canRun).each(builds.map((build) => [build.name, build] as const))(
  '%s build: attention calculator',
  (_name, build) => {
    let site: SiteInBrowser;
    let page: Page;
    let errors: string[];

    beforeAll(async () => {
      site = await openSiteInBrowser({ outDir: build.outDir, base: build.base });
    });

    afterAll(async () => {
      await site?.close();
    });

    beforeEach(async () => {
      page = await site.browser.newPage();
      errors = [];
      collectPageErrors(page, errors);
      await page.goto(`${site.url}labs/attention/`);
      await page.locator(`${lab}[data-ready]`).waitFor();
    });

    afterEach(async () => {
      await page.close();
      expect(errors).toEqual([]);
    });

    test('starts with the hand-made vectors and no mask, as the pure functions compute', async () => {
      expect(await readMatrices(page)).toEqual(
        expectedMatrices(pronoun.queries, pronoun.keys, { kind: 'none' }),
      );
    });

    test('editing a query entry recomputes that row', async () => {
      // q of "its", component 1: from 2 to 4, so "its" looks harder for a noun.
      const entry = page.getByLabel('q of “its”, component 1');
      await entry.fill('4');
      const queries = pronoun.queries.map((row) => [...row]);
      queries[3][0] = 4;
      const expected = expectedMatrices(queries, pronoun.keys, { kind: 'none' });
      const shown = await readMatrices(page);
      expect(shown).toEqual(expected);
      expect(shown.weights[3]).not.toEqual(
        expectedMatrices(pronoun.queries, pronoun.keys, { kind: 'none' }).weights[3],
      );
      // Rows still sum to 1 as shown (to rounding).
      for (const row of shown.weights)
        expect(row.reduce((total, cell) => total + Number(cell), 0)).toBeCloseTo(1, 2);
    });

    test('the causal mask zeroes every later key, chosen by keyboard', async () => {
      await page.locator('input[name="mask"][value="none"]').focus();
      await page.keyboard.press('ArrowDown');
      expect(await page.locator('input[name="mask"]:checked').getAttribute('value')).toBe('causal');
      const shown = await readMatrices(page);
      expect(shown).toEqual(expectedMatrices(pronoun.queries, pronoun.keys, { kind: 'causal' }));
      shown.weights.forEach((row, i) =>
        row.forEach((cell, j) => {
          if (j > i) {
            expect(cell).toBe('0');
            expect(shown['unscaled-weights'][i][j]).toBe('0');
            expect(shown['scaled-scores'][i][j]).toBe('−∞');
          } else expect(Number(cell)).toBeGreaterThan(0);
        }),
      );
      expect(await page.locator(`${lab} [data-matrix="weights"] td.masked`).count()).toBe(10);
      // Back to no mask: nothing is blocked.
      await page.keyboard.press('ArrowUp');
      expect(await page.locator(`${lab} [data-matrix="weights"] td.masked`).count()).toBe(0);
    });

    test('the padding mask blocks the padded keys for every query and labels them', async () => {
      await page.getByLabel('Padding: the last two tokens are padding').check();
      const shown = await readMatrices(page);
      expect(shown).toEqual(
        expectedMatrices(pronoun.queries, pronoun.keys, { kind: 'padding', padded: 2 }),
      );
      for (const row of shown.weights) expect(row.slice(3)).toEqual(['0', '0']);
      const headers = await page
        .locator(`${lab} [data-matrix="weights"] thead [data-label]`)
        .allTextContents();
      expect(headers).toEqual(['The', 'cat', 'ate', 'its (pad)', 'fish (pad)']);
    });

    test('at d_k = 64 the unscaled weights are near one-hot and the scaled ones are not', async () => {
      await page.locator('#attention-preset').selectOption('random-64');
      expect(await page.locator(`${lab} [data-editor]`).isVisible()).toBe(false);
      expect(await page.locator(`${lab} [data-editor-note]`).isVisible()).toBe(true);
      const preset = getAttentionPreset('random-64');
      const shown = await readMatrices(page);
      expect(shown).toEqual(expectedMatrices(preset.queries, preset.keys, { kind: 'none' }));
      const asNumbers = (rows: string[][]) => rows.map((row) => row.map(Number));
      expect(meanMaxWeight(asNumbers(shown['unscaled-weights']))).toBeGreaterThan(0.9);
      expect(meanMaxWeight(asNumbers(shown.weights))).toBeLessThan(0.6);
      const result = attention(preset.queries, preset.keys, { kind: 'none' });
      expect(await page.locator(`${lab} [data-summary]`).textContent()).toBe(
        describeAttention(result),
      );
      // Back to a d_k = 4 preset: the editor returns with its vectors.
      await page.locator('#attention-preset').selectOption('pronoun');
      expect(await page.getByLabel('k of “cat”, component 4').inputValue()).toBe('1');
    });

    test('an entry out of range gets a message and leaves the tables as they were', async () => {
      const before = await readMatrices(page);
      const entry = page.getByLabel('k of “The”, component 3');
      await entry.fill('50');
      const error = page.locator(`${lab} [data-error]`);
      expect(await error.isVisible()).toBe(true);
      expect(await error.textContent()).toBe(
        'k of “The”, component 3: enter a number from −10 to 10.',
      );
      expect(await entry.getAttribute('aria-invalid')).toBe('true');
      expect(await readMatrices(page)).toEqual(before);
      await entry.fill('1');
      expect(await error.isVisible()).toBe(false);
    });

    test('axe finds nothing in either theme after interaction', async () => {
      await page
        .getByLabel('Causal: a token sees itself and earlier tokens (decoder, like GPT)')
        .check();
      await page.getByLabel('q of “cat”, component 3').fill('');
      for (const theme of ['light', 'dark']) {
        await page.evaluate((name) => (document.documentElement.dataset.theme = name), theme);
        expect(await axeViolations(page)).toEqual([]);
      }
      await page.locator('#attention-preset').selectOption('random-64');
      expect(await axeViolations(page)).toEqual([]);
    });
  },
);

describe.skipIf(!canRun)('attention calculator without JavaScript', () => {
  let site: SiteInBrowser;

  beforeAll(async () => {
    site = await openSiteInBrowser({ outDir: builds[0].outDir, base: builds[0].base });
  });

  afterAll(async () => {
    await site?.close();
  });

  test('explains itself and shows the worked example, with no controls', async () => {
    const context = await site.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${site.url}labs/attention/`);
    expect(await page.locator(lab).isVisible()).toBe(false);
    const example = page.locator('section[aria-labelledby="attention-example-heading"]');
    const result = attention(pronoun.queries, pronoun.keys, { kind: 'causal' });
    // The example's second matrix is the scaled weights; its row for "its".
    const its = sentence.indexOf('its');
    const cells = example.locator('table').nth(3).locator('tbody tr').nth(its).locator('td');
    expect((await cells.allTextContents()).map((text) => text.trim())).toEqual(
      result.weights[its].map((weight, j) => formatWeight(weight, result.allowed[its][j])),
    );
    await context.close();
  });
});
