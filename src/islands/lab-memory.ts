/**
 * The memory calculators' island: recalculates each form as the reader types, with the same
 * pure functions that rendered the worked example at build time. A preset fills the model's
 * numbers; editing one of them switches the preset to "Custom".
 */
import {
  billionsText,
  countParameters,
  customModelText,
  describeModel,
  inferenceView,
  largestExactBytes,
  limits,
  parametersFromBillions,
  parseNumber,
  trainingView,
  type CalculatorView,
  type NumberLimit,
  type Precision,
  type Sharding,
  type TrainingScheme,
} from '../labs/memory';
import { getAccelerator, getModelPreset } from '../labs/memory-presets';

/** Typing waits this long before recalculating, so the live summary speaks once per pause. */
const typingPauseMs = 250;

/** The shape fields each calculator reads from a preset (the rest are the reader's). */
const shapeFields = {
  inference: ['parameters', 'layers', 'kvHeads', 'headDim'],
  training: ['parameters', 'layers', 'hiddenSize', 'attentionHeads'],
} as const;

type Kind = keyof typeof shapeFields;

function control(form: HTMLFormElement, name: string): HTMLInputElement | HTMLSelectElement {
  const element = form.elements.namedItem(name);
  if (!(element instanceof HTMLInputElement || element instanceof HTMLSelectElement))
    throw new Error(`memory lab: the form has no field "${name}"`);
  return element;
}

/** Reads the form's numbers; each bad one is marked and its message collected. */
function reader(form: HTMLFormElement) {
  const errors: string[] = [];
  const number = (name: string, limit: NumberLimit): number => {
    const input = control(form, name);
    const parsed = parseNumber(input.value, limit);
    input.setAttribute('aria-invalid', String(parsed.error !== undefined));
    if (parsed.error !== undefined) errors.push(parsed.error);
    return parsed.value ?? limit.min;
  };
  const choice = (name: string) => control(form, name).value;
  const checked = (name: string) => (control(form, name) as HTMLInputElement).checked;
  return { errors, number, choice, checked };
}

function computeView(form: HTMLFormElement, kind: Kind): CalculatorView | string[] {
  const read = reader(form);
  const parameters = parametersFromBillions(read.number('parameters', limits.parametersBillions));
  const layers = read.number('layers', limits.layers);
  const headroomPercent = read.number('headroom', limits.headroom);
  const accelerator = getAccelerator(read.choice('accelerator'));
  if (!accelerator) read.errors.push('Choose an accelerator from the list.');
  let view: CalculatorView | undefined;
  if (kind === 'inference') {
    const preset = getModelPreset(read.choice('model'));
    const input = {
      parameters,
      layers,
      kvHeads: read.number('kvHeads', limits.kvHeads),
      headDim: read.number('headDim', limits.headDim),
      weightPrecision: read.choice('weightPrecision') as Precision,
      kvPrecision: read.choice('kvPrecision') as Precision,
      tokens: read.number('tokens', limits.tokens),
      batch: read.number('batch', limits.batch),
      headroomPercent,
      model: preset && { name: preset.name, contextTokens: preset.contextTokens },
    };
    if (read.errors.length === 0) view = inferenceView({ ...input, accelerator: accelerator! });
  } else {
    const input = {
      parameters,
      layers,
      hiddenSize: read.number('hiddenSize', limits.hiddenSize),
      attentionHeads: read.number('attentionHeads', limits.attentionHeads),
      scheme: read.choice('scheme') as TrainingScheme,
      sequence: read.number('sequence', limits.sequence),
      microBatch: read.number('microBatch', limits.microBatch),
      flashAttention: read.checked('flashAttention'),
      checkpointing: read.checked('checkpointing'),
      sharding: read.choice('sharding') as Sharding,
      gpus: read.number('gpus', limits.gpus),
      headroomPercent,
    };
    if (read.errors.length === 0) view = trainingView({ ...input, accelerator: accelerator! });
  }
  if (!view) return read.errors;
  if (view.largestBytes > largestExactBytes)
    return ['These numbers pass 2^53 bytes (9 PB), beyond what the calculator can count exactly.'];
  return view;
}

function render(form: HTMLFormElement, outcome: CalculatorView | string[]): void {
  const result = form.querySelector<HTMLElement>('[data-memory-result]');
  const summary = result?.querySelector<HTMLOutputElement>('[data-summary]');
  const terms = result?.querySelector<HTMLElement>('[data-terms]');
  const capacity = result?.querySelector<HTMLElement>('[data-capacity]');
  const notes = result?.querySelector<HTMLElement>('[data-notes]');
  if (!result || !summary || !terms || !capacity || !notes) return;
  const failed = Array.isArray(outcome);
  // Stale figures beside an error would be read as the answer: hide them until it is fixed.
  terms.hidden = failed;
  capacity.hidden = failed;
  result.dataset.fits = failed ? 'false' : String(outcome.fits);
  const text = failed ? outcome.join(' ') : outcome.summary;
  if (summary.textContent !== text) summary.textContent = text;
  const noteLines = failed ? [] : outcome.notes;
  notes.replaceChildren(
    ...noteLines.map((note) => Object.assign(document.createElement('li'), { textContent: note })),
  );
  notes.hidden = noteLines.length === 0;
  if (failed) return;
  capacity.textContent = outcome.capacity;
  for (const row of outcome.rows) {
    const term = terms.querySelector<HTMLElement>(`[data-term="${row.key}"]`);
    if (!term) continue;
    term.querySelector('[data-term-label]')!.textContent = row.label;
    term.querySelector('[data-term-size]')!.textContent = row.size;
    term.querySelector('[data-term-formula]')!.textContent = row.formula;
  }
}

/** Shows what the chosen preset is, with its source, or how to fill in a custom model. */
function describeChoice(form: HTMLFormElement): void {
  const note = form.querySelector<HTMLElement>('[data-model-note]');
  const text = note?.querySelector<HTMLElement>('[data-model-note-text]');
  const link = note?.querySelector<HTMLAnchorElement>('[data-model-source]');
  if (!note || !text || !link) return;
  const preset = getModelPreset(control(form, 'model').value);
  text.textContent = preset ? describeModel(preset) : customModelText;
  link.hidden = !preset;
  if (preset) link.href = preset.source;
}

function fillFromPreset(form: HTMLFormElement, kind: Kind): void {
  const preset = getModelPreset(control(form, 'model').value);
  if (!preset) return;
  const values: Record<(typeof shapeFields)[Kind][number], string | number> = {
    ...preset.shape,
    parameters: billionsText(countParameters(preset.shape)),
  };
  for (const name of shapeFields[kind]) control(form, name).value = String(values[name]);
}

function start(form: HTMLFormElement): void {
  const kind = form.dataset.memoryCalculator;
  if (kind !== 'inference' && kind !== 'training') return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const update = () => {
    clearTimeout(timer);
    render(form, computeView(form, kind));
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    update();
  });
  form.addEventListener('input', (event) => {
    const target = event.target as HTMLInputElement | HTMLSelectElement;
    if (target.name === 'model') {
      fillFromPreset(form, kind);
      describeChoice(form);
    } else if ((shapeFields[kind] as readonly string[]).includes(target.name)) {
      control(form, 'model').value = 'custom';
      describeChoice(form);
    }
    const typed = target instanceof HTMLInputElement && target.type !== 'checkbox';
    clearTimeout(timer);
    if (typed) timer = setTimeout(update, typingPauseMs);
    else update();
  });
  // The browser may have restored typed values (back navigation): match the figures to them.
  describeChoice(form);
  update();
  form.dataset.ready = 'true';
}

for (const form of document.querySelectorAll<HTMLFormElement>('form[data-memory-calculator]'))
  start(form);
