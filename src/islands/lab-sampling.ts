/**
 * The sampling explorer's island: reads the sliders, recomputes with the pure functions in
 * src/labs/sampling.ts and updates the table, bars, summary and draws rendered at build time
 * (it creates no elements, so the components' scoped styles still apply).
 */
import {
  applySampling,
  countDraws,
  countedDraws,
  describeResult,
  describeSetting,
  drawSamples,
  formatPercent,
  getSamplingPreset,
  invalidSetting,
  shownDraws,
  type SamplingSettings,
} from '../labs/sampling';

const sliderNames = ['temperature', 'topK', 'topP', 'minP'] as const;

function start(root: HTMLElement): void {
  const controls = root.querySelector<HTMLElement>('[data-controls]');
  const reset = root.querySelector<HTMLButtonElement>('[data-reset]');
  const control = <T extends HTMLElement>(name: string) =>
    root.querySelector<T>(`[data-control="${name}"]`);
  const presetSelect = control<HTMLSelectElement>('preset');
  const seedInput = control<HTMLInputElement>('seed');
  const summary = root.querySelector<HTMLElement>('[data-summary]');
  const error = root.querySelector<HTMLElement>('[data-error]');
  const caption = root.querySelector<HTMLElement>('[data-caption]');
  const rows = [...root.querySelectorAll<HTMLTableRowElement>('[data-row]')];
  const drawItems = [...root.querySelectorAll<HTMLLIElement>('[data-draws] li')];
  const seedShown = root.querySelector<HTMLElement>('[data-seed-shown]');
  if (
    !controls ||
    !reset ||
    !presetSelect ||
    !seedInput ||
    !summary ||
    !error ||
    !caption ||
    !seedShown
  ) {
    throw new Error('sampling lab: its markup is incomplete');
  }

  const cell = (row: HTMLElement, name: string) =>
    row.querySelector<HTMLElement>(`[data-cell="${name}"]`)!;

  const update = () => {
    const preset = getSamplingPreset(presetSelect.value);
    const settings = Object.fromEntries(
      sliderNames.map((name) => [name, Number(control<HTMLInputElement>(name)!.value)]),
    ) as unknown as SamplingSettings;
    for (const name of sliderNames) {
      const text = describeSetting(name, settings[name], preset.tokens.length);
      control<HTMLInputElement>(name)!.setAttribute('aria-valuetext', text);
      root.querySelector(`[data-output="${name}"]`)!.textContent = text;
    }
    const seed = seedInput.value.trim() === '' ? NaN : Number(seedInput.value);
    const problem = invalidSetting(settings, seed);
    error.hidden = problem === null;
    error.textContent = problem ?? '';
    seedInput.setAttribute('aria-invalid', String(problem !== null));
    if (problem) return;

    const result = applySampling(preset.logits, settings);
    const draws = drawSamples(result.filtered, seed, countedDraws);
    const counts = countDraws(draws, preset.tokens.length);
    caption.textContent = `Next token after “${preset.prompt}”`;
    rows.forEach((row, index) => {
      const removedBy = result.removedBy[index];
      row.classList.toggle('removed', removedBy !== null);
      cell(row, 'token').textContent = preset.tokens[index];
      cell(row, 'model').textContent = formatPercent(result.model[index]);
      cell(row, 'tempered').textContent = formatPercent(result.tempered[index]);
      cell(row, 'filtered').textContent = formatPercent(result.filtered[index]);
      cell(row, 'kept').textContent = removedBy ? `no: ${removedBy}` : 'yes';
      cell(row, 'draws').textContent = String(counts[index]);
      cell(row, 'tempered-bar').style.width = `${(result.tempered[index] * 100).toFixed(2)}%`;
      cell(row, 'filtered-bar').style.width = `${(result.filtered[index] * 100).toFixed(2)}%`;
    });
    summary.textContent = describeResult(result);
    seedShown.textContent = String(seed);
    drawItems.forEach((item, index) => {
      item.querySelector('[data-draw-prompt]')!.textContent = preset.prompt;
      item.querySelector('[data-draw-token]')!.textContent =
        index < shownDraws ? preset.tokens[draws[index]] : '';
    });
  };

  controls.addEventListener('input', update);
  controls.addEventListener('change', update);
  // Back to the values the page was built with.
  reset.addEventListener('click', () => {
    for (const input of controls.querySelectorAll('input')) input.value = input.defaultValue;
    for (const option of presetSelect.options) option.selected = option.defaultSelected;
    update();
  });
  update();
  root.dataset.ready = '';
}

for (const root of document.querySelectorAll<HTMLElement>('[data-lab-sampling]')) start(root);
