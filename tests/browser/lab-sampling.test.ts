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
  applySampling,
  countDraws,
  countedDraws,
  describeResult,
  drawSamples,
  formatPercent,
  getSamplingPreset,
  type SamplingSettings,
} from '../../src/labs/sampling';

const canRun = requireToolOrSkip(chromiumAvailable, chromiumMissingReason);
const lab = '[data-lab-sampling]';

interface Row {
  token: string;
  model: string;
  tempered: string;
  filtered: string;
  kept: string;
  draws: string;
  /** Bar widths in percent (the browser normalises "25.60%" to "25.6%"). */
  temperedBar: number;
  filteredBar: number;
}

/** The lab's table as a reader sees it, plus the bar widths. */
function readTable(page: Page): Promise<Row[]> {
  return page.$$eval(`${lab} [data-row]`, (rows) =>
    rows.map((row) => {
      const cell = (name: string) => row.querySelector<HTMLElement>(`[data-cell="${name}"]`)!;
      return {
        token: cell('token').textContent!.trim(),
        model: cell('model').textContent!.trim(),
        tempered: cell('tempered').textContent!.trim(),
        filtered: cell('filtered').textContent!.trim(),
        kept: cell('kept').textContent!.trim(),
        draws: cell('draws').textContent!.trim(),
        temperedBar: parseFloat(cell('tempered-bar').style.width),
        filteredBar: parseFloat(cell('filtered-bar').style.width),
      };
    }),
  );
}

/** What the table must show, from the same pure functions. */
function expectedTable(presetId: string, settings: SamplingSettings, seed: number): Row[] {
  const preset = getSamplingPreset(presetId);
  const result = applySampling(preset.logits, settings);
  const counts = countDraws(drawSamples(result.filtered, seed, countedDraws), 12);
  const width = (p: number) => Number((p * 100).toFixed(2));
  return preset.tokens.map((token, index) => ({
    token,
    model: formatPercent(result.model[index]),
    tempered: formatPercent(result.tempered[index]),
    filtered: formatPercent(result.filtered[index]),
    kept: result.removedBy[index] ? `no: ${result.removedBy[index]}` : 'yes',
    draws: String(counts[index]),
    temperedBar: width(result.tempered[index]),
    filteredBar: width(result.filtered[index]),
  }));
}

const noFilters: SamplingSettings = { temperature: 1, topK: 12, topP: 1, minP: 0 };

describe.skipIf(!canRun).each(builds.map((build) => [build.name, build] as const))(
  '%s build: sampling explorer',
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
      await page.goto(`${site.url}labs/sampling/`);
      await page.locator(`${lab}[data-ready]`).waitFor();
    });

    afterEach(async () => {
      await page.close();
      expect(errors).toEqual([]);
    });

    test('starts with the moderate preset, unfiltered, as the pure functions compute it', async () => {
      expect(await readTable(page)).toEqual(expectedTable('moderate', noFilters, 42));
      const result = applySampling(getSamplingPreset('moderate').logits, noFilters);
      expect(await page.locator(`${lab} [data-summary]`).textContent()).toBe(
        describeResult(result),
      );
    });

    test('the temperature slider moves by keyboard and the table follows', async () => {
      const slider = page.locator('#sampling-temperature');
      await slider.focus();
      for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowLeft');
      expect(await slider.inputValue()).toBe('0.7');
      expect(await page.locator('[data-output="temperature"]').textContent()).toBe('0.70');
      const table = await readTable(page);
      expect(table).toEqual(expectedTable('moderate', { ...noFilters, temperature: 0.7 }, 42));
      expect(table[0].tempered).toBe('45.1%');
    });

    test('top-p keeps the smallest set reaching p, renormalised, and says what it removed', async () => {
      await page.locator('#sampling-topP').fill('0.9');
      const table = await readTable(page);
      expect(table).toEqual(expectedTable('moderate', { ...noFilters, topP: 0.9 }, 42));
      expect(table.filter((row) => row.kept === 'yes')).toHaveLength(6);
      expect(table[6].kept).toBe('no: top-p');
      expect(table[6].filteredBar).toBe(0);
      // Removed tokens are never drawn.
      expect(table.slice(6).every((row) => row.draws === '0')).toBe(true);
      // Then cooling to T = 0.7 leaves four tokens at 89.99%, so top-p needs five.
      await page.locator('#sampling-temperature').fill('0.7');
      expect((await readTable(page)).filter((row) => row.kept === 'yes')).toHaveLength(5);
    });

    test('top-k keeps exactly k and min-p cuts relative to the top token', async () => {
      await page.locator('#sampling-topK').fill('3');
      let table = await readTable(page);
      expect(table.filter((row) => row.kept === 'yes').map((row) => row.token)).toEqual([
        'the',
        'a',
        'its',
      ]);
      await page.locator('#sampling-topK').fill('12');
      await page.locator('#sampling-minP').fill('0.1');
      table = await readTable(page);
      expect(table).toEqual(expectedTable('moderate', { ...noFilters, minP: 0.1 }, 42));
      expect(table.filter((row) => row.kept === 'yes')).toHaveLength(7);
      expect(await page.locator('#sampling-topK').getAttribute('aria-valuetext')).toBe(
        '12 (off: all 12)',
      );
    });

    test('draws follow the seed: the same seed gives the same draws', async () => {
      const draws = () => page.locator(`${lab} [data-draw-token]`).allTextContents();
      const first = await draws();
      await page.locator('#sampling-seed').fill('7');
      const preset = getSamplingPreset('moderate');
      const filtered = applySampling(preset.logits, noFilters).filtered;
      const expected = drawSamples(filtered, 7, 10).map((index) => preset.tokens[index]);
      expect(await draws()).toEqual(expected);
      expect(await page.locator('[data-seed-shown]').textContent()).toBe('7');
      expect(await readTable(page)).toEqual(expectedTable('moderate', noFilters, 7));
      await page.locator('#sampling-seed').fill('42');
      expect(await draws()).toEqual(first);
    });

    test('a bad seed gets a message instead of silently wrong draws', async () => {
      const error = page.locator(`${lab} [data-error]`);
      expect(await error.isVisible()).toBe(false);
      await page.locator('#sampling-seed').fill('-3');
      expect(await error.textContent()).toMatch(/seed must be a whole number/);
      expect(await error.isVisible()).toBe(true);
      expect(await page.locator('#sampling-seed').getAttribute('aria-invalid')).toBe('true');
      await page.locator('#sampling-seed').fill('5');
      expect(await error.isVisible()).toBe(false);
    });

    test('a preset changes the prompt, tokens and shape; Reset restores the defaults', async () => {
      await page.locator('#sampling-topP').fill('0.5');
      await page.locator('#sampling-preset').selectOption('peaked');
      const table = await readTable(page);
      expect(table).toEqual(expectedTable('peaked', { ...noFilters, topP: 0.5 }, 42));
      expect(table.filter((row) => row.kept === 'yes').map((row) => row.token)).toEqual(['Paris']);
      expect(await page.locator(`${lab} caption`).textContent()).toContain(
        'The capital of France is',
      );
      await page.getByRole('button', { name: 'Reset settings' }).click();
      await expect.poll(() => readTable(page)).toEqual(expectedTable('moderate', noFilters, 42));
    });

    test('axe finds nothing in either theme after interaction', async () => {
      await page.locator('#sampling-temperature').fill('1.5');
      await page.locator('#sampling-topP').fill('0.8');
      await page.locator('#sampling-seed').fill('-1');
      for (const theme of ['light', 'dark']) {
        await page.evaluate((name) => (document.documentElement.dataset.theme = name), theme);
        expect(await axeViolations(page)).toEqual([]);
      }
    });
  },
);

describe.skipIf(!canRun)('sampling explorer without JavaScript', () => {
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
    await page.goto(`${site.url}labs/sampling/`);
    expect(await page.locator(lab).isVisible()).toBe(false);
    expect(await page.locator('noscript').count()).toBe(1);
    const example = page
      .locator('section[aria-labelledby="sampling-example-heading"] table')
      .nth(1)
      .locator('tbody tr');
    const preset = getSamplingPreset('moderate');
    const cooled = applySampling(preset.logits, { ...noFilters, temperature: 0.7, topP: 0.9 });
    expect((await example.first().locator('th').textContent())?.trim()).toBe('the');
    expect((await example.first().locator('td').nth(2).textContent())?.trim()).toBe(
      formatPercent(cooled.filtered[0]),
    );
    expect(await example.locator('td:last-child', { hasText: 'yes' }).count()).toBe(5);
    await context.close();
  });
});
