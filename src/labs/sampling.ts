/**
 * Next-token sampling over a fixed distribution, as in question 7's sample
 * (content/questions/07-synthetic-text-generation/sampling.py): temperature first, then the
 * filters. The filters run in the order Hugging Face transformers applies its logits warpers
 * (`_get_logits_processor`: Temperature, TopK, TopP, MinP), each on the renormalised output of
 * the one before. Ties between equally likely tokens are broken by list order (earlier first),
 * like the sample's stable sort.
 */
import { mulberry32 } from '../utils/seeded-random';

export interface SamplingSettings {
  /** Divides the logits before the softmax; must be above 0. */
  temperature: number;
  /** Keeps the k most likely tokens; 0, or k at least the vocabulary size, keeps all. */
  topK: number;
  /** Nucleus: keeps the smallest set of most likely tokens whose mass is at least p; 1 keeps all. */
  topP: number;
  /** Keeps tokens whose probability is at least minP times the largest; 0 keeps all. */
  minP: number;
}

/** Which filter removed a token, or null if it survived all of them. */
export type RemovedBy = 'top-k' | 'top-p' | 'min-p' | null;

export interface SamplingResult {
  /** The model's distribution: softmax of the logits at T = 1. */
  model: number[];
  /** After temperature, before any filter. */
  tempered: number[];
  /** After every filter, renormalised: what a token is drawn from. */
  filtered: number[];
  removedBy: RemovedBy[];
}

export interface SamplingPreset {
  id: string;
  /** Shown in the preset menu. */
  label: string;
  /** The text before the candidate next token. */
  prompt: string;
  tokens: readonly string[];
  /** Illustrative logits, one per token, chosen by hand to give the distribution its shape. */
  logits: readonly number[];
}

/** Numerical slack for cumulative sums compared with p, as in the Python sample. */
const epsilon = 1e-12;

export function softmax(logits: readonly number[], temperature = 1): number[] {
  if (!(temperature > 0) || !Number.isFinite(temperature))
    throw new RangeError(`temperature must be a positive number, got ${temperature}`);
  const scaled = logits.map((logit) => logit / temperature);
  const max = Math.max(...scaled); // exp of values <= 0 cannot overflow
  const exps = scaled.map((value) => Math.exp(value - max));
  const sum = exps.reduce((total, value) => total + value, 0);
  return exps.map((value) => value / sum);
}

/** Token indices from most to least likely; equal probabilities keep list order. */
export function descendingOrder(probs: readonly number[]): number[] {
  return probs.map((_, index) => index).sort((a, b) => probs[b] - probs[a] || a - b);
}

function keepOnly(probs: readonly number[], keep: readonly boolean[]): number[] {
  const sum = probs.reduce((total, p, index) => (keep[index] ? total + p : total), 0);
  return probs.map((p, index) => (keep[index] ? p / sum : 0));
}

export function topKFilter(probs: readonly number[], k: number): number[] {
  if (k <= 0 || k >= probs.length) return [...probs];
  const keep = probs.map(() => false);
  for (const index of descendingOrder(probs).slice(0, k)) keep[index] = true;
  return keepOnly(probs, keep);
}

/** Keeps the smallest prefix of the sorted distribution whose cumulative mass is >= p. */
export function topPFilter(probs: readonly number[], p: number): number[] {
  if (p >= 1) return [...probs];
  const keep = probs.map(() => false);
  let mass = 0;
  for (const index of descendingOrder(probs)) {
    if (probs[index] === 0) break; // already removed by an earlier filter
    keep[index] = true;
    mass += probs[index];
    if (mass >= p - epsilon) break;
  }
  return keepOnly(probs, keep);
}

export function minPFilter(probs: readonly number[], minP: number): number[] {
  if (minP <= 0) return [...probs];
  const threshold = minP * Math.max(...probs);
  return keepOnly(
    probs,
    probs.map((p) => p > 0 && p >= threshold),
  );
}

/** Temperature, then top-k, top-p and min-p, each on the renormalised output of the last. */
export function applySampling(
  logits: readonly number[],
  settings: SamplingSettings,
): SamplingResult {
  const model = softmax(logits);
  const tempered = softmax(logits, settings.temperature);
  const afterTopK = topKFilter(tempered, settings.topK);
  const afterTopP = topPFilter(afterTopK, settings.topP);
  const filtered = minPFilter(afterTopP, settings.minP);
  const removedBy = filtered.map((p, index): RemovedBy => {
    if (p > 0) return null;
    if (afterTopK[index] === 0) return 'top-k';
    if (afterTopP[index] === 0) return 'top-p';
    return 'min-p';
  });
  return { model, tempered, filtered, removedBy };
}

/** Shannon entropy in bits; zero-probability tokens contribute nothing. */
export function entropyBits(probs: readonly number[]): number {
  return probs.reduce((total, p) => (p > 0 ? total - p * Math.log2(p) : total), 0);
}

/** Inverse-CDF sampling: the first token whose cumulative probability exceeds u in [0, 1). */
export function sampleIndex(probs: readonly number[], u: number): number {
  let cumulative = 0;
  let last = -1;
  for (let index = 0; index < probs.length; index++) {
    if (probs[index] <= 0) continue;
    cumulative += probs[index];
    last = index;
    if (u < cumulative) return index;
  }
  return last; // rounding left the total just under 1: the last possible token
}

/** n token indices drawn from probs with the seeded generator. */
export function drawSamples(probs: readonly number[], seed: number, n: number): number[] {
  const random = mulberry32(seed);
  return Array.from({ length: n }, () => sampleIndex(probs, random()));
}

/** How many times each of `size` tokens occurs in the draws. */
export function countDraws(draws: readonly number[], size: number): number[] {
  const counts: number[] = Array(size).fill(0);
  for (const index of draws) counts[index]++;
  return counts;
}

export const maxSeed = 4294967295;

/** A message for a setting a reader cannot have meant, or null when all are usable. */
export function invalidSetting(settings: SamplingSettings, seed: number): string | null {
  const { temperature, topK, topP, minP } = settings;
  if (!(temperature > 0) || !Number.isFinite(temperature)) return 'Temperature must be above 0.';
  if (!Number.isInteger(topK) || topK < 0) return 'Top-k must be a whole number, 0 or more.';
  if (!(topP > 0 && topP <= 1)) return 'Top-p must be above 0 and at most 1.';
  if (!(minP >= 0 && minP <= 1)) return 'Min-p must be from 0 to 1.';
  if (!Number.isInteger(seed) || seed < 0 || seed > maxSeed)
    return `The seed must be a whole number from 0 to ${maxSeed.toLocaleString('en')}.`;
  return null;
}

/** A probability as a percentage with one decimal; tiny non-zero values are not shown as 0. */
export function formatPercent(p: number): string {
  if (p === 0) return '0%';
  if (p < 0.0005) return '<0.1%';
  return `${(p * 100).toFixed(1)}%`;
}

/** A slider's value as a reader sees it, saying when the filter is off. */
export function describeSetting(
  name: keyof SamplingSettings,
  value: number,
  vocabularySize: number,
): string {
  if (name === 'topK')
    return value <= 0 || value >= vocabularySize
      ? `${value} (off: all ${vocabularySize})`
      : `${value}`;
  const text = value.toFixed(2);
  if ((name === 'topP' && value >= 1) || (name === 'minP' && value <= 0)) return `${text} (off)`;
  return text;
}

export function formatBits(bits: number): string {
  return `${bits.toFixed(2)} bits`;
}

/** One sentence on the result: how many tokens survive and how spread out they are. */
export function describeResult(result: SamplingResult): string {
  const size = result.filtered.length;
  const kept = result.filtered.filter((p) => p > 0).length;
  return (
    `${kept} of ${size} tokens kept. Entropy ${formatBits(entropyBits(result.filtered))} ` +
    `after the filters, ${formatBits(entropyBits(result.tempered))} before them ` +
    `(${formatBits(Math.log2(size))} if all were equally likely).`
  );
}

export const defaultSettings: SamplingSettings = { temperature: 1, topK: 0, topP: 1, minP: 0 };
export const defaultSeed = 42;
export const shownDraws = 10;
export const countedDraws = 1000;

// The logits are illustrative, not from a real model: each preset has a different shape.
export const samplingPresets: readonly SamplingPreset[] = [
  {
    id: 'moderate',
    label: 'Moderate: question 7’s sample',
    prompt: 'He put the keys in',
    tokens: [
      'the',
      'a',
      'its',
      'this',
      'one',
      'my',
      'our',
      'that',
      'his',
      'every',
      'some',
      'zebra',
    ],
    logits: [3.2, 2.9, 2.1, 1.8, 1.5, 1.1, 0.9, 0.6, 0.2, -0.4, -1.0, -3.0],
  },
  {
    id: 'peaked',
    label: 'Peaked: one clear answer',
    prompt: 'The capital of France is',
    tokens: [
      'Paris',
      'a',
      'the',
      'located',
      'home',
      'also',
      'not',
      'one',
      'known',
      'in',
      'Lyon',
      'beautiful',
    ],
    logits: [8.0, 5.2, 4.6, 4.1, 3.3, 2.9, 2.6, 2.3, 2.0, 1.6, 1.1, 0.7],
  },
  {
    id: 'flat',
    label: 'Flat: many good answers',
    prompt: 'My favourite colour is',
    tokens: [
      'blue',
      'green',
      'red',
      'purple',
      'black',
      'yellow',
      'orange',
      'pink',
      'white',
      'grey',
      'not',
      'probably',
    ],
    logits: [2.2, 2.0, 1.9, 1.7, 1.5, 1.3, 1.1, 1.0, 0.8, 0.6, 0.3, -0.2],
  },
];

export function getSamplingPreset(id: string): SamplingPreset {
  const preset = samplingPresets.find((candidate) => candidate.id === id);
  if (!preset) throw new Error(`Unknown sampling preset "${id}"`);
  return preset;
}
