/**
 * The attention calculator's island: reads the vectors and the mask, recomputes with the pure
 * functions in src/labs/attention.ts and updates the four tables rendered at build time (it
 * creates no elements, so the components' scoped styles still apply).
 */
import {
  attention,
  describeAttention,
  entryLimit,
  formatScore,
  formatWeight,
  getAttentionPreset,
  heatBackground,
  sentence,
  tokenLabels,
  type Matrix,
  type MaskSetting,
} from '../labs/attention';

function maskFrom(value: string): MaskSetting {
  if (value === 'causal') return { kind: 'causal' };
  if (value === 'pad-1') return { kind: 'padding', padded: 1 };
  if (value === 'pad-2') return { kind: 'padding', padded: 2 };
  return { kind: 'none' };
}

function start(root: HTMLElement): void {
  const controls = root.querySelector<HTMLElement>('[data-controls]');
  const presetSelect = root.querySelector<HTMLSelectElement>('[data-control="preset"]');
  const description = root.querySelector<HTMLElement>('[data-description]');
  const editor = root.querySelector<HTMLElement>('[data-editor]');
  const editorNote = root.querySelector<HTMLElement>('[data-editor-note]');
  const error = root.querySelector<HTMLElement>('[data-error]');
  const summary = root.querySelector<HTMLElement>('[data-summary]');
  if (!controls || !presetSelect || !description || !editor || !editorNote || !error || !summary) {
    throw new Error('attention lab: its markup is incomplete');
  }
  const inputs = [...editor.querySelectorAll<HTMLInputElement>('input[data-vector]')];
  const entry = (input: HTMLInputElement) => ({
    vector: input.dataset.vector!,
    row: Number(input.dataset.row),
    col: Number(input.dataset.col),
  });
  let preset = getAttentionPreset(presetSelect.value);

  const loadPreset = () => {
    preset = getAttentionPreset(presetSelect.value);
    description.textContent = preset.description;
    const editable = preset.keys[0].length === 4;
    editor.hidden = !editable;
    editorNote.hidden = editable;
    if (!editable) return;
    for (const input of inputs) {
      const { vector, row, col } = entry(input);
      input.value = String((vector === 'q' ? preset.queries : preset.keys)[row][col]);
      input.removeAttribute('aria-invalid');
    }
  };

  /** The vectors on screen, or a message naming the first entry that is not a usable number. */
  const readVectors = (): { queries: Matrix; keys: Matrix } | string => {
    if (editor.hidden) return { queries: preset.queries, keys: preset.keys };
    const queries = preset.queries.map((row) => [...row]);
    const keys = preset.keys.map((row) => [...row]);
    let problem = '';
    for (const input of inputs) {
      const value = input.value.trim() === '' ? NaN : Number(input.value);
      const valid = Number.isFinite(value) && Math.abs(value) <= entryLimit;
      input.setAttribute('aria-invalid', String(!valid));
      if (!valid && !problem)
        problem = `${input.getAttribute('aria-label')}: enter a number from −${entryLimit} to ${entryLimit}.`;
      const { vector, row, col } = entry(input);
      (vector === 'q' ? queries : keys)[row][col] = value;
    }
    return problem || { queries, keys };
  };

  const update = () => {
    const vectors = readVectors();
    error.hidden = typeof vectors !== 'string';
    error.textContent = typeof vectors === 'string' ? vectors : '';
    if (typeof vectors === 'string') return;
    const checked = controls.querySelector<HTMLInputElement>('input[name="mask"]:checked');
    const mask = maskFrom(checked?.value ?? 'none');
    const result = attention(vectors.queries, vectors.keys, mask);
    const labels = tokenLabels(sentence, mask);
    const values: Record<string, Matrix> = {
      'scaled-scores': result.scaledScores,
      'raw-scores': result.rawScores,
      weights: result.weights,
      'unscaled-weights': result.unscaledWeights,
    };
    for (const matrix of root.querySelectorAll<HTMLElement>('[data-matrix]')) {
      const isWeight = matrix.dataset.kind === 'weight';
      const table = values[matrix.dataset.matrix!];
      matrix
        .querySelectorAll('thead [data-label]')
        .forEach((th, j) => (th.textContent = labels[j]));
      matrix.querySelectorAll('tbody tr').forEach((tr, i) => {
        tr.querySelector('[data-label]')!.textContent = labels[i];
        tr.querySelectorAll<HTMLElement>('[data-cell]').forEach((td, j) => {
          const allowed = result.allowed[i][j];
          td.textContent = (isWeight ? formatWeight : formatScore)(table[i][j], allowed);
          td.classList.toggle('masked', !allowed);
          td.style.backgroundColor = isWeight && allowed ? heatBackground(table[i][j]) : '';
        });
      });
    }
    summary.textContent = describeAttention(result);
  };

  presetSelect.addEventListener('change', loadPreset);
  controls.addEventListener('change', update);
  editor.addEventListener('input', update);
  // The browser may restore a different preset on reload; show what the menu says.
  loadPreset();
  update();
  root.dataset.ready = '';
}

for (const root of document.querySelectorAll<HTMLElement>('[data-lab-attention]')) start(root);
