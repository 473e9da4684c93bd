/**
 * The tokenizer lab's island. The page arrives with the worked example already tokenized (at
 * build time); nothing heavy loads until the reader uses the lab. Then each chosen encoding's
 * island (its merge table, 0.5-2 MB) is imported once, from the URL its panel carries, while the
 * panel says so. Tokens redraw as the reader types; the counts are announced once typing pauses.
 */
import {
  describeCounts,
  encodings,
  failedMessage,
  formatCount,
  formatRatio,
  loadedMessage,
  loadingMessage,
  presets,
  textStats,
  tokenSpans,
  type TokenizerEngine,
  type TokenSpan,
} from '../labs/tokenizer';

/** Tokens drawn per panel; a longer text is still counted in full. */
const drawLimit = 2000;
const redrawDelayMs = 60;
const announceDelayMs = 900;

interface Panel {
  model: string;
  element: HTMLElement;
  choice: HTMLInputElement;
  status: HTMLElement;
  view: HTMLElement;
  table: HTMLDetailsElement;
  rows: HTMLElement;
  truncated: HTMLElement;
  stats: Record<string, HTMLElement>;
  engine?: TokenizerEngine;
  loading?: Promise<void>;
  /** The text the view and counts show; starts as the one tokenized at build time. */
  shownText: string;
  /** The text the table's rows show. */
  tableText: string;
  spans: TokenSpan[];
  /** The shown text's token count, once the engine has counted it. */
  count?: number;
}

function drawSpan(span: TokenSpan): DocumentFragment {
  const fragment = document.createDocumentFragment();
  const token = document.createElement('span');
  token.className = 'tok';
  token.dataset.colour = String(span.colour);
  if (span.partial) token.dataset.partial = '';
  token.title = `id ${span.id}`;
  const text = document.createElement('span');
  text.className = 'tok__text';
  text.textContent = span.label;
  const id = document.createElement('span');
  id.className = 'tok__id';
  id.textContent = String(span.id);
  token.append(text, id);
  fragment.append(token);
  if (span.endsLine) {
    const lineBreak = document.createElement('span');
    lineBreak.className = 'tok-break';
    fragment.append(lineBreak);
  }
  return fragment;
}

function drawRow(span: TokenSpan, position: number): HTMLTableRowElement {
  const row = document.createElement('tr');
  for (const [value, mono] of [
    [String(position + 1), false],
    [span.label, true],
    [String(span.id), false],
    [span.hex, true],
  ] as const) {
    const cell = row.insertCell();
    cell.textContent = value;
    if (mono) cell.className = 'mono';
  }
  return row;
}

function startTokenizerLab(root: HTMLElement): void {
  const input = root.querySelector<HTMLTextAreaElement>('[data-input]');
  const lookFor = root.querySelector<HTMLElement>('[data-look-for]');
  const noneChosen = root.querySelector<HTMLElement>('[data-none-chosen]');
  const showIds = root.querySelector<HTMLInputElement>('[data-show-ids]');
  if (!input || !lookFor || !noneChosen || !showIds) return;

  const panels: Panel[] = [];
  for (const encoding of encodings) {
    const element = root.querySelector<HTMLElement>(`[data-panel="${encoding.id}"]`);
    const choice = root.querySelector<HTMLInputElement>(`[data-choice="${encoding.id}"]`);
    if (!element || !choice) return;
    const find = (selector: string) => element.querySelector<HTMLElement>(selector)!;
    panels.push({
      model: encoding.model,
      element,
      choice,
      status: find('[data-status]'),
      view: find('[data-view]'),
      table: find('[data-table]') as HTMLDetailsElement,
      rows: find('[data-rows]'),
      truncated: find('[data-truncated]'),
      stats: Object.fromEntries(
        [...element.querySelectorAll<HTMLElement>('[data-stat]')].map((dd) => [
          dd.dataset.stat!,
          dd,
        ]),
      ),
      shownText: input.defaultValue,
      tableText: input.defaultValue,
      spans: [],
    });
  }

  const shown = () => panels.filter((panel) => panel.choice.checked);

  const setStats = (panel: Panel, values: Record<string, string>) => {
    for (const [key, dd] of Object.entries(panel.stats)) dd.textContent = values[key] ?? '…';
  };

  const drawTable = (panel: Panel) => {
    if (panel.tableText === panel.shownText) return;
    panel.rows.replaceChildren(...panel.spans.map(drawRow));
    panel.tableText = panel.shownText;
  };

  const draw = (panel: Panel) => {
    const text = input.value;
    if (!panel.engine) {
      // Until its table arrives, a panel must not show another text's tokens as this one's.
      if (panel.shownText !== text) {
        setStats(panel, {});
        panel.view.replaceChildren();
        panel.rows.replaceChildren();
        panel.truncated.hidden = true;
        panel.shownText = panel.tableText = '';
      }
      return;
    }
    const ids = panel.engine.encode(text);
    const stats = textStats(text, ids.length);
    panel.count = ids.length;
    setStats(panel, {
      tokens: formatCount(stats.tokens),
      characters: formatCount(stats.characters),
      bytes: formatCount(stats.bytes),
      ratio: formatRatio(stats.characters, stats.tokens),
    });
    panel.spans = tokenSpans(ids, panel.engine.piece, drawLimit);
    const fragment = document.createDocumentFragment();
    for (const span of panel.spans) fragment.append(drawSpan(span));
    panel.view.replaceChildren(fragment);
    panel.truncated.hidden = ids.length <= drawLimit;
    panel.truncated.textContent = `Showing the first ${formatCount(drawLimit)} of ${formatCount(ids.length)} tokens.`;
    panel.shownText = text;
    if (panel.table.open) drawTable(panel);
  };

  const announce = () => {
    const region = document.querySelector('[data-announcer]');
    const counts = shown().flatMap((panel) =>
      panel.engine && panel.count !== undefined
        ? [{ model: panel.model, tokens: panel.count }]
        : [],
    );
    if (region && counts.length > 0) region.textContent = describeCounts(counts);
  };

  let redrawTimer: ReturnType<typeof setTimeout> | undefined;
  let announceTimer: ReturnType<typeof setTimeout> | undefined;
  const scheduleAnnounce = () => {
    clearTimeout(announceTimer);
    announceTimer = setTimeout(announce, announceDelayMs);
  };
  const redrawAll = () => {
    clearTimeout(redrawTimer);
    for (const panel of shown()) draw(panel);
    scheduleAnnounce();
  };
  const scheduleRedraw = () => {
    clearTimeout(redrawTimer);
    redrawTimer = setTimeout(redrawAll, redrawDelayMs);
  };

  const load = (panel: Panel) => {
    if (panel.engine || panel.loading) return;
    const { islandUrl, islandBytes } = panel.element.dataset;
    panel.status.textContent = loadingMessage(panel.model, Number(islandBytes));
    panel.element.setAttribute('aria-busy', 'true');
    panel.loading = import(islandUrl!)
      .then((island: { engine: TokenizerEngine }) => {
        panel.engine = island.engine;
        panel.status.textContent = loadedMessage(panel.model, island.engine.size);
        if (panel.choice.checked) {
          draw(panel);
          scheduleAnnounce();
        }
      })
      .catch((error: unknown) => {
        panel.status.textContent = failedMessage(panel.model);
        console.warn(error);
      })
      .finally(() => {
        panel.loading = undefined;
        panel.element.removeAttribute('aria-busy');
      });
  };

  // The merge tables are large: the chosen ones load when the reader first uses the lab.
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    for (const panel of shown()) load(panel);
  };
  root.addEventListener('focusin', start);
  root.addEventListener('pointerdown', start);

  input.addEventListener('input', () => {
    start();
    scheduleRedraw();
  });

  for (const button of root.querySelectorAll<HTMLButtonElement>('[data-preset]')) {
    button.addEventListener('click', () => {
      const preset = presets.find((candidate) => candidate.id === button.dataset.preset);
      if (!preset) return;
      start();
      input.value = preset.text;
      lookFor.textContent = preset.lookFor;
      redrawAll();
    });
  }

  for (const panel of panels) {
    panel.choice.addEventListener('change', () => {
      panel.element.dataset.shown = String(panel.choice.checked);
      noneChosen.hidden = shown().length > 0;
      if (!panel.choice.checked) return;
      start();
      load(panel);
      draw(panel);
      scheduleAnnounce();
    });
    panel.table.addEventListener('toggle', () => {
      if (panel.table.open) drawTable(panel);
    });
  }

  showIds.addEventListener('change', () => root.toggleAttribute('data-hide-ids', !showIds.checked));

  // A restored page (back button) may hold the reader's own text and choices: honour them.
  for (const panel of panels) panel.element.dataset.shown = String(panel.choice.checked);
  noneChosen.hidden = shown().length > 0;
  root.toggleAttribute('data-hide-ids', !showIds.checked);
  if (input.value !== input.defaultValue) {
    start();
    redrawAll();
  }
}

const root = document.querySelector<HTMLElement>('[data-tokenizer-lab]');
if (root) startTokenizerLab(root);
