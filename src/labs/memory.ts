/**
 * The memory calculators' arithmetic: inference (weights and KV cache) and training (weights,
 * gradients, optimiser states and activations, sharded by ZeRO). Pure functions, shared by the
 * page (which renders one worked example at build time) and its island (which recalculates on
 * input), so the static example and the live figures can never disagree.
 *
 * Units: byte counts are exact; sizes are shown in GiB (2^30 bytes) with GB (10^9) beside them,
 * because the KV-cache literature counts in GiB and the ZeRO paper in GB.
 */
import type { Accelerator, ModelPreset, ModelShape } from './memory-presets';

export const GiB = 2 ** 30;
export const GB = 1e9;

export type Precision = 'fp32' | 'bf16' | 'fp8' | 'int4';

export const precisions: Record<Precision, { label: string; bytes: number; short: string }> = {
  fp32: { label: 'fp32 (4 bytes)', bytes: 4, short: 'fp32' },
  bf16: { label: 'bf16 / fp16 (2 bytes)', bytes: 2, short: 'bf16' },
  fp8: { label: 'fp8 / int8 (1 byte)', bytes: 1, short: 'fp8' },
  int4: { label: 'int4 (0.5 byte, before scales)', bytes: 0.5, short: 'int4' },
};

export type TrainingScheme = 'mixed-adam' | 'fp32-adam' | 'mixed-adam-8bit' | 'bf16-adam';

export interface SchemeBytes {
  label: string;
  /** Bytes per parameter of the weights the forward pass uses. */
  weights: number;
  gradients: number;
  /** Bytes per parameter of optimiser state (K in the ZeRO paper), and what they hold. */
  optimizer: number;
  optimizerParts: string;
  /** Korthikanti et al. count 16-bit activations; fp32 training stores them at twice the size. */
  activationScale: number;
}

export const trainingSchemes: Record<TrainingScheme, SchemeBytes> = {
  'mixed-adam': {
    label: 'Mixed precision + Adam: bf16 weights and gradients, fp32 master, m and v (16 bytes)',
    weights: 2,
    gradients: 2,
    optimizer: 12,
    optimizerParts: '4 master + 4 m + 4 v',
    activationScale: 1,
  },
  'fp32-adam': {
    label: 'fp32 + Adam: fp32 weights, gradients, m and v (16 bytes)',
    weights: 4,
    gradients: 4,
    optimizer: 8,
    optimizerParts: '4 m + 4 v',
    activationScale: 2,
  },
  'mixed-adam-8bit': {
    label: 'Mixed precision + 8-bit Adam: fp32 master, 8-bit m and v (10 bytes)',
    weights: 2,
    gradients: 2,
    optimizer: 6,
    optimizerParts: '4 master + 1 m + 1 v',
    activationScale: 1,
  },
  'bf16-adam': {
    label: 'Pure bf16 + Adam: no fp32 master copy, small updates round away (8 bytes)',
    weights: 2,
    gradients: 2,
    optimizer: 4,
    optimizerParts: '2 m + 2 v',
    activationScale: 1,
  },
};

export type Sharding = 'none' | 'zero1' | 'zero2' | 'zero3';

export const shardings: Record<Sharding, { label: string; stage: number }> = {
  none: { label: 'None: every GPU holds a full replica (data parallel)', stage: 0 },
  zero1: { label: 'ZeRO-1: shard optimiser states', stage: 1 },
  zero2: { label: 'ZeRO-2: shard optimiser states and gradients', stage: 2 },
  zero3: { label: 'ZeRO-3 / FSDP: shard optimiser states, gradients and weights', stage: 3 },
};

// ---- Formatting ---------------------------------------------------------------------------

/** 42949672960 → "42,949,672,960"; fractions (0.5 byte) keep up to three decimals. */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 3 });
}

function scaled(bytes: number, units: readonly [string, number][]): string {
  for (const [name, size] of units) {
    if (bytes >= size) {
      const value = bytes / size;
      const digits = value >= 1000 ? 0 : value >= 10 ? 1 : 2;
      const text = value.toLocaleString('en-US', {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      });
      return `${text} ${name}`;
    }
  }
  return `${formatCount(bytes)} bytes`;
}

const binaryUnits: [string, number][] = [
  ['GiB', GiB],
  ['MiB', 2 ** 20],
  ['KiB', 2 ** 10],
];
const decimalUnits: [string, number][] = [
  ['GB', GB],
  ['MB', 1e6],
  ['kB', 1e3],
];

/** A size in binary units: "40.0 GiB". */
export function formatBinary(bytes: number): string {
  return scaled(bytes, binaryUnits);
}

/** A size in both conventions: "40.0 GiB (42.9 GB)". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${formatCount(bytes)} bytes`;
  return `${scaled(bytes, binaryUnits)} (${scaled(bytes, decimalUnits)})`;
}

function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(count)} ${count === 1 ? singular : pluralForm}`;
}

function bytesWord(bytes: number): string {
  return bytes === 1 ? '1 byte' : `${formatCount(bytes)} bytes`;
}

/** "… = 42,949,672,960 bytes = 40.0 GiB (42.9 GB)": the tail every formula shares. */
function equalsBytes(bytes: number): string {
  return `= ${formatCount(bytes)} bytes = ${formatSize(bytes)}`;
}

// ---- Input limits --------------------------------------------------------------------------

export interface NumberLimit {
  /** The field's name in messages. */
  what: string;
  min: number;
  max: number;
  integer: boolean;
}

/** Bounds for every number a reader can type; the page puts them on the inputs too. */
export const limits = {
  parametersBillions: { what: 'Parameters (billions)', min: 0.001, max: 10000, integer: false },
  layers: { what: 'Layers', min: 1, max: 1000, integer: true },
  kvHeads: { what: 'KV heads', min: 1, max: 1024, integer: true },
  headDim: { what: 'Head dimension', min: 1, max: 4096, integer: true },
  tokens: { what: 'Context tokens', min: 1, max: 10_000_000, integer: true },
  batch: { what: 'Batch size', min: 1, max: 4096, integer: true },
  headroom: { what: 'Headroom', min: 0, max: 90, integer: false },
  hiddenSize: { what: 'Hidden size', min: 1, max: 131072, integer: true },
  attentionHeads: { what: 'Attention heads', min: 1, max: 1024, integer: true },
  sequence: { what: 'Sequence length', min: 1, max: 10_000_000, integer: true },
  microBatch: { what: 'Micro-batch size', min: 1, max: 4096, integer: true },
  gpus: { what: 'GPUs', min: 1, max: 100_000, integer: true },
} satisfies Record<string, NumberLimit>;

export type ParsedNumber =
  { value: number; error?: undefined } | { value?: undefined; error: string };

/** Reads one typed number against its limits, with a message a reader can act on. */
export function parseNumber(raw: string, limit: NumberLimit): ParsedNumber {
  const text = raw.trim().replace(/,/g, '');
  const value = text === '' ? NaN : Number(text);
  const kind = limit.integer ? 'a whole number' : 'a number';
  const range = `${kind} from ${formatCount(limit.min)} to ${formatCount(limit.max)}`;
  if (!Number.isFinite(value)) return { error: `${limit.what}: enter ${range}.` };
  if (limit.integer && !Number.isInteger(value))
    return { error: `${limit.what} must be ${kind}: enter ${range}.` };
  if (value < limit.min || value > limit.max)
    return { error: `${limit.what} must be ${range}; ${formatCount(value)} is outside.` };
  return { value };
}

/** Billions as a reader types them, to a whole count: "70.553706496" → 70,553,706,496. */
export function parametersFromBillions(billions: number): number {
  return Math.round(billions * 1e9);
}

/** The exact count as billions for an input field, without float noise. */
export function billionsText(parameters: number): string {
  return String(parameters / 1e9);
}

// ---- Parameters ----------------------------------------------------------------------------

/**
 * Parameters of a Llama-style decoder from its config: embeddings, output head (unless tied),
 * per layer the q, k, v, o projections (plus biases or q/k norms where the family has them),
 * the three matrices of the gated MLP and two RMSNorm vectors, and the final norm.
 */
export function countParameters(shape: ModelShape): number {
  const { hiddenSize: h, attentionHeads, kvHeads, headDim, intermediateSize, vocabSize } = shape;
  const queryWidth = attentionHeads * headDim;
  const kvWidth = kvHeads * headDim;
  const attention =
    h * queryWidth +
    2 * h * kvWidth +
    queryWidth * h +
    (shape.qkvBias ? queryWidth + 2 * kvWidth : 0) +
    (shape.qkNorm ? 2 * headDim : 0);
  const mlp = 3 * h * intermediateSize;
  const perLayer = attention + mlp + 2 * h;
  const embeddings = vocabSize * h * (shape.tiedEmbeddings ? 1 : 2);
  return embeddings + shape.layers * perLayer + h;
}

/** What a preset is, in one or two sentences under the model picker. */
export function describeModel(preset: ModelPreset): string {
  const { shape } = preset;
  const sentence =
    `${preset.name}: ${plural(shape.layers, 'layer')}, ${formatCount(shape.attentionHeads)} query ` +
    `heads and ${plural(shape.kvHeads, 'KV head')} of ${formatCount(shape.headDim)} dims, hidden ` +
    `size ${formatCount(shape.hiddenSize)}, ${plural(countParameters(shape), 'parameter')} ` +
    `counted from the config, a context window of ${plural(preset.contextTokens, 'token')}.`;
  return preset.note ? `${sentence} ${preset.note}` : sentence;
}

export const customModelText =
  'Custom model: type the numbers from its config.json (num_hidden_layers, ' +
  'num_key_value_heads, head_dim, hidden_size, num_attention_heads).';

// ---- Shared view shape ---------------------------------------------------------------------

/** One line of a calculator's breakdown: what it is, how big, and the sum that gives it. */
export interface TermView {
  key: string;
  label: string;
  size: string;
  formula: string;
}

export interface CalculatorView {
  rows: TermView[];
  /** Whether the whole thing fits on one accelerator (inference) or on each GPU (training). */
  fits: boolean;
  verdict: string;
  /** One sentence for the live region: the total and the verdict. */
  summary: string;
  /** How much of the accelerator counts as usable, and why. */
  capacity: string;
  /** Warnings about the inputs (beyond the context window, 4-bit scales left out). */
  notes: string[];
  /** The largest byte count involved, so callers can refuse sums past exact doubles. */
  largestBytes: number;
}

/** Capacity a program can use on one accelerator after the reader's headroom. */
export function usableBytes(accelerator: Accelerator, headroomPercent: number): number {
  return Math.floor(accelerator.reportedBytes * (1 - headroomPercent / 100));
}

function capacityText(accelerator: Accelerator, headroomPercent: number): string {
  const usable = usableBytes(accelerator, headroomPercent);
  return (
    `${accelerator.name}: the driver reports ${formatBinary(accelerator.reportedBytes)}; ` +
    `${formatCount(headroomPercent)}% headroom leaves ${formatBinary(usable)} usable.`
  );
}

/** Byte counts above 2^53 cannot be added exactly in JavaScript numbers. */
export const largestExactBytes = Number.MAX_SAFE_INTEGER;

// ---- Inference -----------------------------------------------------------------------------

export interface KvCacheInput {
  layers: number;
  kvHeads: number;
  headDim: number;
  /** Bytes per stored value: 2 for bf16, 1 for fp8, 0.5 for int4. */
  bytesPerValue: number;
  tokens: number;
  batch: number;
}

/** KV cache = 2 (K and V) × layers × KV heads × head dim × bytes × tokens × batch. */
export function kvCacheBytes(input: KvCacheInput): number {
  const { layers, kvHeads, headDim, bytesPerValue, tokens, batch } = input;
  return 2 * layers * kvHeads * headDim * bytesPerValue * tokens * batch;
}

export function weightBytes(parameters: number, bytesPerParameter: number): number {
  return parameters * bytesPerParameter;
}

export interface InferenceInput {
  parameters: number;
  layers: number;
  kvHeads: number;
  headDim: number;
  weightPrecision: Precision;
  kvPrecision: Precision;
  tokens: number;
  batch: number;
  accelerator: Accelerator;
  headroomPercent: number;
  /** The chosen preset's name and window, to warn when the tokens exceed it. */
  model?: { name: string; contextTokens: number };
}

export function kvCacheFormula(input: KvCacheInput, precision?: Precision): string {
  const bytes = kvCacheBytes(input);
  const label = precision ? ` (${precisions[precision].short})` : '';
  return (
    `2 (K and V) × ${plural(input.layers, 'layer')} × ${plural(input.kvHeads, 'KV head')} × ` +
    `${formatCount(input.headDim)} dims × ${bytesWord(input.bytesPerValue)}${label} × ` +
    `${plural(input.tokens, 'token')} × ${plural(input.batch, 'sequence')} ${equalsBytes(bytes)}`
  );
}

/** Devices needed when weights and cache are split evenly (tensor parallelism). */
export function devicesNeeded(totalBytes: number, usable: number): number {
  return usable <= 0 ? Infinity : Math.max(1, Math.ceil(totalBytes / usable));
}

export function inferenceView(input: InferenceInput): CalculatorView {
  const weightPrecision = precisions[input.weightPrecision];
  const kvInput: KvCacheInput = {
    layers: input.layers,
    kvHeads: input.kvHeads,
    headDim: input.headDim,
    bytesPerValue: precisions[input.kvPrecision].bytes,
    tokens: input.tokens,
    batch: input.batch,
  };
  const weights = weightBytes(input.parameters, weightPrecision.bytes);
  const kv = kvCacheBytes(kvInput);
  const perToken = kvCacheBytes({ ...kvInput, tokens: 1, batch: 1 });
  const total = weights + kv;
  const usable = usableBytes(input.accelerator, input.headroomPercent);
  const needed = devicesNeeded(total, usable);
  const name = input.accelerator.name;

  const rows: TermView[] = [
    {
      key: 'weights',
      label: 'Weights',
      size: formatSize(weights),
      formula:
        `${plural(input.parameters, 'parameter')} × ${bytesWord(weightPrecision.bytes)} ` +
        `(${weightPrecision.short}) ${equalsBytes(weights)}`,
    },
    {
      key: 'kv-cache',
      label: 'KV cache',
      size: formatSize(kv),
      formula: kvCacheFormula(kvInput, input.kvPrecision),
    },
    {
      key: 'kv-per-token',
      label: 'KV cache per token',
      size: formatSize(perToken),
      formula:
        `2 × ${formatCount(input.layers)} × ${formatCount(input.kvHeads)} × ` +
        `${formatCount(input.headDim)} × ${bytesWord(kvInput.bytesPerValue)} ${equalsBytes(perToken)}`,
    },
    {
      key: 'total',
      label: 'Total',
      size: formatSize(total),
      formula: `${formatCount(weights)} + ${formatCount(kv)} ${equalsBytes(total)}`,
    },
  ];

  const fits = needed === 1;
  const powerOfTwo = 2 ** Math.ceil(Math.log2(needed));
  const verdict = fits
    ? `Fits on one ${name}: ${formatBinary(total)} of ${formatBinary(usable)} usable.`
    : `Needs at least ${formatCount(needed)} × ${name} (${formatBinary(usable)} usable each), ` +
      'with weights and cache split evenly by tensor parallelism' +
      (powerOfTwo !== needed
        ? `; groups are usually a power of two, so ${formatCount(powerOfTwo)} in practice.`
        : '.');

  const notes: string[] = [];
  if (input.model && input.tokens > input.model.contextTokens)
    notes.push(
      `${formatCount(input.tokens)} tokens is beyond ${input.model.name}'s context window of ` +
        `${formatCount(input.model.contextTokens)} tokens.`,
    );
  if (input.weightPrecision === 'int4' || input.kvPrecision === 'int4')
    notes.push(
      'int4 counts 0.5 byte per value. Real 4-bit formats add scales (a 16-bit scale per group of ' +
        '128 weights adds 0.125 bits each) and usually keep embeddings and the output head in 16-bit.',
    );

  return {
    rows,
    fits,
    verdict,
    summary: `Total ${formatSize(total)}. ${verdict}`,
    capacity: capacityText(input.accelerator, input.headroomPercent),
    notes,
    largestBytes: total,
  };
}

// ---- Training ------------------------------------------------------------------------------

export interface ModelStates {
  weights: number;
  gradients: number;
  optimizer: number;
}

/**
 * Per-GPU bytes of weights, gradients and optimiser state (Rajbhandari et al., ZeRO): stage 1
 * divides the optimiser state by the GPU count, stage 2 also the gradients, stage 3 also the
 * weights. A shard is rounded up to whole bytes, as a padded partition would be.
 */
export function modelStateBytes(
  parameters: number,
  scheme: TrainingScheme,
  sharding: Sharding,
  gpus: number,
): ModelStates {
  const bytes = trainingSchemes[scheme];
  const stage = shardings[sharding].stage;
  const shard = (total: number, from: number) => (stage >= from ? Math.ceil(total / gpus) : total);
  return {
    weights: shard(bytes.weights * parameters, 3),
    gradients: shard(bytes.gradients * parameters, 2),
    optimizer: shard(bytes.optimizer * parameters, 1),
  };
}

export interface ActivationInput {
  sequence: number;
  microBatch: number;
  hiddenSize: number;
  layers: number;
  attentionHeads: number;
  /** FlashAttention never stores the s × s attention matrices. */
  flashAttention: boolean;
  /** Full recomputation: keep each layer's input, rebuild one layer at a time in backward. */
  checkpointing: boolean;
  /** 1 for 16-bit activations, 2 for fp32. */
  scale: number;
}

/**
 * Korthikanti et al. (2022): a GPT-style layer stores s·b·h·(34 + 5·a·s/h) bytes in 16-bit, of
 * which 5·a·s²·b is the s × s attention tensors. Full recomputation keeps only each layer's
 * input (2·s·b·h bytes) plus, during backward, the one layer being rebuilt.
 */
export function activationBytes(input: ActivationInput): number {
  const { sequence: s, microBatch: b, hiddenSize: h, layers, attentionHeads: a } = input;
  const perLayer = 34 * s * b * h + (input.flashAttention ? 0 : 5 * a * s * s * b);
  const stored = input.checkpointing ? 2 * s * b * h * layers + perLayer : layers * perLayer;
  return stored * input.scale;
}

export function activationFormula(input: ActivationInput): string {
  const { sequence: s, microBatch: b, hiddenSize: h, layers, attentionHeads: a } = input;
  const [fs, fb, fh, fl, fa] = [s, b, h, layers, a].map(formatCount);
  const layerSymbols = input.flashAttention ? '34·s·b·h' : '(34·s·b·h + 5·a·s²·b)';
  const layerNumbers = input.flashAttention
    ? `34 × ${fs} × ${fb} × ${fh}`
    : `(34 × ${fs} × ${fb} × ${fh} + 5 × ${fa} × ${fs}² × ${fb})`;
  let symbols: string;
  let numbers: string;
  if (input.checkpointing) {
    symbols = `2·s·b·h·L + ${layerSymbols}`;
    numbers = `2 × ${fs} × ${fb} × ${fh} × ${fl} + ${layerNumbers}`;
  } else {
    symbols = `L × ${layerSymbols}`;
    numbers = `${fl} × ${layerNumbers}`;
  }
  if (input.scale !== 1) {
    symbols = `(${symbols}) × ${input.scale}`;
    numbers = `(${numbers}) × ${input.scale} (fp32)`;
  }
  return `${symbols} = ${numbers} ${equalsBytes(activationBytes(input))}`;
}

export interface TrainingInput {
  parameters: number;
  layers: number;
  hiddenSize: number;
  attentionHeads: number;
  scheme: TrainingScheme;
  sequence: number;
  microBatch: number;
  flashAttention: boolean;
  checkpointing: boolean;
  sharding: Sharding;
  gpus: number;
  accelerator: Accelerator;
  headroomPercent: number;
}

export function trainingView(input: TrainingInput): CalculatorView {
  const scheme = trainingSchemes[input.scheme];
  const stage = shardings[input.sharding].stage;
  const states = modelStateBytes(input.parameters, input.scheme, input.sharding, input.gpus);
  const activationInput: ActivationInput = {
    sequence: input.sequence,
    microBatch: input.microBatch,
    hiddenSize: input.hiddenSize,
    layers: input.layers,
    attentionHeads: input.attentionHeads,
    flashAttention: input.flashAttention,
    checkpointing: input.checkpointing,
    scale: scheme.activationScale,
  };
  const activations = activationBytes(activationInput);
  const perGpu = states.weights + states.gradients + states.optimizer + activations;
  const usable = usableBytes(input.accelerator, input.headroomPercent);
  const params = plural(input.parameters, 'parameter');
  const split = (from: number, what: string) =>
    stage >= from
      ? ` ÷ ${plural(input.gpus, 'GPU')} (${shardings[input.sharding].label.split(':')[0]} shards ${what})`
      : input.gpus > 1
        ? ' (a full copy on every GPU)'
        : '';
  const stateRow = (key: keyof ModelStates, label: string, perParam: string, from: number) => ({
    key,
    label,
    size: formatSize(states[key]),
    formula: `${perParam} × ${params}${split(from, label.toLowerCase())} ${equalsBytes(states[key])}`,
  });
  const stateBytes = states.weights + states.gradients + states.optimizer;

  const rows: TermView[] = [
    stateRow('weights', 'Weights', bytesWord(scheme.weights), 3),
    stateRow('gradients', 'Gradients', bytesWord(scheme.gradients), 2),
    stateRow(
      'optimizer',
      'Optimiser states',
      `${bytesWord(scheme.optimizer)} (${scheme.optimizerParts})`,
      1,
    ),
    {
      key: 'activations',
      label: input.checkpointing ? 'Activations (checkpointed)' : 'Activations',
      size: formatSize(activations),
      formula: activationFormula(activationInput),
    },
    {
      key: 'per-gpu',
      label: 'Per GPU',
      size: formatSize(perGpu),
      formula:
        `${[states.weights, states.gradients, states.optimizer, activations].map(formatCount).join(' + ')} ` +
        `${equalsBytes(perGpu)}; model states are ` +
        `${(stateBytes / input.parameters).toLocaleString('en-US', { maximumFractionDigits: 2 })} bytes per parameter per GPU`,
    },
  ];

  const fits = perGpu <= usable;
  const name = input.accelerator.name;
  const verdict = fits
    ? `Fits on each ${name}: ${formatBinary(perGpu)} of ${formatBinary(usable)} usable.`
    : `Does not fit on one ${name}: ${formatBinary(perGpu)} needed, ${formatBinary(usable)} usable ` +
      `(${formatBinary(perGpu - usable)} over).`;
  const notes: string[] = [];
  if (input.sharding === 'none' && input.gpus > 1)
    notes.push('Without sharding, adding GPUs adds replicas: memory per GPU does not fall.');
  if (stage > 0 && input.gpus === 1) notes.push('ZeRO on one GPU has nothing to shard across.');

  return {
    rows,
    fits,
    verdict,
    summary: `${formatSize(perGpu)} per GPU. ${verdict}`,
    capacity: capacityText(input.accelerator, input.headroomPercent),
    notes,
    largestBytes: Math.max(
      perGpu,
      (scheme.weights + scheme.gradients + scheme.optimizer) * input.parameters,
    ),
  };
}
