import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { builds, rootBuild } from '../support/builds';
import { axeViolations } from '../support/axe';
import {
  chromiumAvailable,
  chromiumMissingReason,
  openSiteInBrowser,
  type SiteInBrowser,
} from '../support/browser';
import { readBuiltHeaders } from '../support/csp-headers';
import { requireToolOrSkip } from '../support/skip';
import {
  billionsText,
  countParameters,
  customModelText,
  inferenceView,
  trainingView,
  type InferenceInput,
  type TrainingInput,
} from '../../src/labs/memory';
import { getAccelerator, getModelPreset } from '../../src/labs/memory-presets';

const canRun = requireToolOrSkip(chromiumAvailable, chromiumMissingReason);

const h100 = getAccelerator('h100-80')!;
const llama70b = getModelPreset('llama-3.1-70b')!;
const llama8b = getModelPreset('llama-3.1-8b')!;
const llama2 = getModelPreset('llama-2-7b')!;

/** The page's worked inference example, as the pure functions see it. */
const inferenceExample: InferenceInput = {
  parameters: countParameters(llama70b.shape),
  layers: 80,
  kvHeads: 8,
  headDim: 128,
  weightPrecision: 'bf16',
  kvPrecision: 'bf16',
  tokens: 131_072,
  batch: 1,
  accelerator: h100,
  headroomPercent: 10,
  model: { name: llama70b.name, contextTokens: llama70b.contextTokens },
};

const trainingExample: TrainingInput = {
  parameters: countParameters(llama2.shape),
  layers: 32,
  hiddenSize: 4096,
  attentionHeads: 32,
  scheme: 'mixed-adam',
  sequence: 4096,
  microBatch: 1,
  flashAttention: true,
  checkpointing: true,
  sharding: 'zero3',
  gpus: 8,
  accelerator: h100,
  headroomPercent: 10,
};

const inference = '[data-memory-calculator="inference"]';
const training = '[data-memory-calculator="training"]';

function text(page: Page, selector: string): Promise<string> {
  return page
    .locator(selector)
    .first()
    .textContent()
    .then((value) => (value ?? '').replace(/\s+/g, ' ').trim());
}

/** Waits (the island pauses after typing) until an element shows the expected text. */
async function expectText(page: Page, selector: string, expected: string): Promise<void> {
  await expect.poll(() => text(page, selector), { timeout: 5000 }).toBe(expected);
}

const term = (form: string, key: string, part: 'size' | 'formula' | 'label') =>
  `${form} [data-term="${key}"] [data-term-${part}]`;

describe.skipIf(!canRun).each(builds.map((build) => [build.name, build] as const))(
  'memory lab on the %s build',
  (_name, build) => {
    let site: SiteInBrowser;
    let browser: Browser;
    let page: Page;
    const errors: string[] = [];

    async function openLab(target: Page): Promise<void> {
      await target.goto(`${site.url}labs/memory/`);
      await target.locator(`${inference}[data-ready="true"]`).waitFor();
      await target.locator(`${training}[data-ready="true"]`).waitFor();
    }

    async function watch(target: Page): Promise<void> {
      target.on('pageerror', (error) => errors.push(String(error)));
      target.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      await target.addInitScript(() =>
        document.addEventListener('securitypolicyviolation', (event) =>
          console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`),
        ),
      );
    }

    beforeAll(async () => {
      // The headers a static host sends, so the island runs under the real Content-Security-Policy.
      const headers = readBuiltHeaders(build.outDir);
      site = await openSiteInBrowser({ outDir: build.outDir, base: build.base, headers });
      browser = site.browser;
      page = await browser.newPage();
      await watch(page);
      await openLab(page);
    });

    afterAll(async () => {
      await site?.close();
    });

    test('without JavaScript the page shows the worked example, 40 GiB of KV cache', async () => {
      const context = await browser.newContext({ javaScriptEnabled: false });
      const plain = await context.newPage();
      await plain.goto(`${site.url}labs/memory/`);
      const expected = inferenceView(inferenceExample);
      expect(await text(plain, term(inference, 'kv-cache', 'size'))).toBe('40.0 GiB (42.9 GB)');
      expect(await text(plain, term(inference, 'kv-cache', 'formula'))).toBe(
        expected.rows[1].formula,
      );
      expect(await text(plain, `${inference} [data-summary]`)).toBe(expected.summary);
      expect(await text(plain, `${training} [data-summary]`)).toBe(
        trainingView(trainingExample).summary,
      );
      await context.close();
    });

    test('choosing a preset fills its shape and recomputes with the pure functions', async () => {
      await page.selectOption(`${inference} select[name="model"]`, llama8b.id);
      const expected = inferenceView({
        ...inferenceExample,
        parameters: countParameters(llama8b.shape),
        layers: 32,
        model: { name: llama8b.name, contextTokens: llama8b.contextTokens },
      });
      await expectText(page, term(inference, 'kv-cache', 'size'), expected.rows[1].size);
      expect(expected.rows[1].size).toBe('16.0 GiB (17.2 GB)');
      expect(await page.inputValue(`${inference} input[name="parameters"]`)).toBe(
        billionsText(8_030_261_248),
      );
      expect(await page.inputValue(`${inference} input[name="layers"]`)).toBe('32');
      expect(await text(page, term(inference, 'weights', 'formula'))).toBe(
        expected.rows[0].formula,
      );
      expect(await text(page, `${inference} [data-summary]`)).toBe(expected.summary);
      expect(await page.getAttribute(`${inference} [data-model-source]`, 'href')).toBe(
        llama8b.source,
      );
    });

    test('changing tokens and batch changes the KV cache and the verdict', async () => {
      await page.fill(`${inference} input[name="tokens"]`, '32768');
      await page.fill(`${inference} input[name="batch"]`, '16');
      const expected = inferenceView({
        ...inferenceExample,
        parameters: countParameters(llama8b.shape),
        layers: 32,
        tokens: 32_768,
        batch: 16,
        model: { name: llama8b.name, contextTokens: llama8b.contextTokens },
      });
      await expectText(page, `${inference} [data-summary]`, expected.summary);
      expect(await text(page, term(inference, 'kv-cache', 'formula'))).toBe(
        expected.rows[1].formula,
      );
      expect(expected.rows[1].size).toBe('64.0 GiB (68.7 GB)');
      expect(expected.fits).toBe(false);
      expect(await page.getAttribute(`${inference} [data-memory-result]`, 'data-fits')).toBe(
        'false',
      );
    });

    test('editing a shape field switches to a custom model', async () => {
      await page.fill(`${inference} input[name="kvHeads"]`, '32');
      await expect.poll(() => page.inputValue(`${inference} select[name="model"]`)).toBe('custom');
      expect(await text(page, `${inference} [data-model-note-text]`)).toBe(customModelText);
      expect(await page.isHidden(`${inference} [data-model-source]`)).toBe(true);
      const expected = inferenceView({
        ...inferenceExample,
        parameters: countParameters(llama8b.shape),
        layers: 32,
        kvHeads: 32,
        tokens: 32_768,
        batch: 16,
        model: undefined,
      });
      await expectText(page, term(inference, 'kv-cache', 'size'), expected.rows[1].size);
    });

    test('a number out of range is named and hides the stale figures', async () => {
      await page.fill(`${inference} input[name="layers"]`, '0');
      await expectText(
        page,
        `${inference} [data-summary]`,
        'Layers must be a whole number from 1 to 1,000; 0 is outside.',
      );
      expect(await page.getAttribute(`${inference} input[name="layers"]`, 'aria-invalid')).toBe(
        'true',
      );
      expect(await page.isHidden(`${inference} [data-terms]`)).toBe(true);
      await page.fill(`${inference} input[name="layers"]`, '32');
      await expect.poll(() => page.isVisible(`${inference} [data-terms]`)).toBe(true);
      expect(await page.getAttribute(`${inference} input[name="layers"]`, 'aria-invalid')).toBe(
        'false',
      );
    });

    test('training: checkpointing and ZeRO stage move the per-GPU figure and the verdict', async () => {
      const perGpu = term(training, 'per-gpu', 'size');
      const summary = `${training} [data-summary]`;
      const fitsAttribute = () =>
        page.getAttribute(`${training} [data-memory-result]`, 'data-fits');
      expect(await text(page, perGpu)).toBe(trainingView(trainingExample).rows[4].size);

      await page.uncheck(`${training} input[name="checkpointing"]`);
      const unchecked = trainingView({ ...trainingExample, checkpointing: false });
      await expectText(page, perGpu, unchecked.rows[4].size);
      expect(await text(page, term(training, 'activations', 'label'))).toBe('Activations');
      expect(await text(page, term(training, 'activations', 'formula'))).toBe(
        unchecked.rows[3].formula,
      );

      await page.selectOption(`${training} select[name="sharding"]`, 'none');
      const replicated = trainingView({
        ...trainingExample,
        checkpointing: false,
        sharding: 'none',
      });
      expect(replicated.fits).toBe(false);
      await expectText(page, summary, replicated.summary);
      expect(await text(page, summary)).toMatch(/Does not fit on one NVIDIA H100 80 GB/);
      expect(await fitsAttribute()).toBe('false');
      expect(await text(page, `${training} [data-notes]`)).toMatch(/replicas/);

      await page.selectOption(`${training} select[name="sharding"]`, 'zero3');
      await page.check(`${training} input[name="checkpointing"]`);
      const sharded = trainingView(trainingExample);
      await expectText(page, summary, sharded.summary);
      expect(await text(page, perGpu)).toBe('14.1 GiB (15.1 GB)');
      expect(await fitsAttribute()).toBe('true');
    });

    test('training: another preset and GPU count recompute per GPU', async () => {
      const llama405b = getModelPreset('llama-3.1-405b')!;
      await page.selectOption(`${training} select[name="model"]`, llama405b.id);
      await page.fill(`${training} input[name="gpus"]`, '64');
      const expected = trainingView({
        ...trainingExample,
        parameters: countParameters(llama405b.shape),
        layers: 126,
        hiddenSize: 16384,
        attentionHeads: 128,
        gpus: 64,
      });
      await expectText(page, `${training} [data-summary]`, expected.summary);
      expect(await text(page, term(training, 'optimizer', 'formula'))).toBe(
        expected.rows[2].formula,
      );
    });

    if (build === rootBuild) {
      test.each(['light', 'dark'] as const)(
        'after interaction, axe finds no violations in the %s theme',
        async (colorScheme) => {
          const context = await browser.newContext({ colorScheme });
          const themed = await context.newPage();
          await watch(themed);
          await openLab(themed);
          // Put both calculators in their "does not fit" state, with notes and an error shown.
          await themed.selectOption(`${inference} select[name="weightPrecision"]`, 'int4');
          await themed.fill(`${inference} input[name="tokens"]`, '500000');
          await themed.selectOption(`${training} select[name="sharding"]`, 'none');
          await expect
            .poll(() => themed.getAttribute(`${training} [data-memory-result]`, 'data-fits'))
            .toBe('false');
          await expect.poll(() => text(themed, `${inference} [data-notes]`)).toMatch(/beyond/);
          await themed.fill(`${training} input[name="gpus"]`, '');
          await expect.poll(() => text(themed, `${training} [data-summary]`)).toMatch(/^GPUs:/);
          expect(await axeViolations(themed)).toEqual([]);
          await context.close();
        },
      );
    }

    test('no console errors or CSP violations', () => {
      expect(errors).toEqual([]);
    });
  },
);
