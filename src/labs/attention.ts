/**
 * Scaled dot-product attention weights for one head, in question 12's notation:
 * weights = softmax(QKᵀ/√d_k + M), where M is 0 where query i may attend to key j and −∞
 * elsewhere (question 20). Masked logits get exactly zero weight and each row still sums to 1.
 * Values are left out: the lab is about where each token looks, not what it reads.
 */
import { mulberry32 } from '../utils/seeded-random';

export type Matrix = number[][];

/** none: every token sees every token; causal: key j ≤ query i; padding: the last keys are padding. */
export type MaskKind = 'none' | 'causal' | 'padding';

export interface MaskSetting {
  kind: MaskKind;
  /** With `padding`: how many tokens at the end are padding (at least 1, fewer than all). */
  padded?: number;
}

export interface AttentionResult {
  dk: number;
  /** QKᵀ/√d_k, before the mask. */
  scaledScores: Matrix;
  /** QKᵀ, before the mask. */
  rawScores: Matrix;
  /** allowed[i][j]: query i may attend to key j. */
  allowed: boolean[][];
  /** softmax(QKᵀ/√d_k + M) by row. */
  weights: Matrix;
  /** softmax(QKᵀ + M) by row: what dropping the √d_k scaling does. */
  unscaledWeights: Matrix;
}

export interface AttentionPreset {
  id: string;
  label: string;
  /** One line on what the preset shows. */
  description: string;
  queries: Matrix;
  keys: Matrix;
}

export const sentence: readonly string[] = ['The', 'cat', 'ate', 'its', 'fish'];

export function dot(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length)
    throw new RangeError(`vectors differ in length: ${a.length}, ${b.length}`);
  return a.reduce((total, value, index) => total + value * b[index], 0);
}

/** QKᵀ, divided by √d_k when scaled. */
export function attentionScores(queries: Matrix, keys: Matrix, scaled: boolean): Matrix {
  const dk = keys[0]?.length ?? 0;
  const divisor = scaled ? Math.sqrt(dk) : 1;
  return queries.map((query) => keys.map((key) => dot(query, key) / divisor));
}

export function attentionMask(n: number, mask: MaskSetting): boolean[][] {
  const padded = mask.padded ?? 1;
  if (mask.kind === 'padding' && !(Number.isInteger(padded) && padded >= 1 && padded < n))
    throw new RangeError(`padding must cover 1 to ${n - 1} tokens, got ${padded}`);
  const firstPad = n - padded;
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => {
      if (mask.kind === 'causal') return j <= i;
      // A key-padding mask: every query, padding or not, ignores the padded keys.
      if (mask.kind === 'padding') return j < firstPad;
      return true;
    }),
  );
}

/**
 * Row-wise softmax of scores + M: blocked entries are −∞ before the softmax, so exactly 0 after.
 * A row with every key blocked would be 0/0 (NaN) in a naive implementation; here it is all
 * zeros, as implementations that guard against it return.
 */
export function maskedSoftmax(scores: Matrix, allowed: boolean[][]): Matrix {
  return scores.map((row, i) => {
    const open = row.filter((_, j) => allowed[i][j]);
    if (open.length === 0) return row.map(() => 0);
    const max = Math.max(...open);
    const exps = row.map((score, j) => (allowed[i][j] ? Math.exp(score - max) : 0));
    const sum = exps.reduce((total, value) => total + value, 0);
    return exps.map((value) => value / sum);
  });
}

export function attention(queries: Matrix, keys: Matrix, mask: MaskSetting): AttentionResult {
  if (queries.length !== keys.length)
    throw new RangeError(`${queries.length} queries but ${keys.length} keys`);
  const dk = keys[0]?.length ?? 0;
  const scaledScores = attentionScores(queries, keys, true);
  const rawScores = attentionScores(queries, keys, false);
  const allowed = attentionMask(queries.length, mask);
  return {
    dk,
    scaledScores,
    rawScores,
    allowed,
    weights: maskedSoftmax(scaledScores, allowed),
    unscaledWeights: maskedSoftmax(rawScores, allowed),
  };
}

/** Standard-normal vectors (Box–Muller over the seeded mulberry32): mean 0, variance 1. */
export function gaussianVectors(rows: number, dk: number, seed: number): Matrix {
  const random = mulberry32(seed);
  const normal = () => {
    const u = 1 - random(); // in (0, 1], so the logarithm is finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  return Array.from({ length: rows }, () => Array.from({ length: dk }, normal));
}

/** Standard deviation of the scores a query may see: about √d_k unscaled, about 1 scaled. */
export function scoreSpread(scores: Matrix, allowed: boolean[][]): number {
  const values = scores.flatMap((row, i) => row.filter((_, j) => allowed[i][j]));
  const mean = values.reduce((total, value) => total + value, 0) / values.length;
  const variance = values.reduce((total, value) => total + (value - mean) ** 2, 0) / values.length;
  return Math.sqrt(variance);
}

/** The mean over rows of each row's largest weight: 1/n for uniform rows, 1 for one-hot rows. */
export function meanMaxWeight(weights: Matrix): number {
  return weights.reduce((total, row) => total + Math.max(...row), 0) / weights.length;
}

/** One paragraph on the result: how much the scaling changes the scores and the weights. */
export function describeAttention(result: AttentionResult): string {
  const root = Math.sqrt(result.dk);
  const rootText = Number.isInteger(root) ? String(root) : root.toFixed(2);
  const spread = (scores: Matrix) => scoreSpread(scores, result.allowed).toFixed(2);
  const peak = (weights: Matrix) => meanMaxWeight(weights).toFixed(3);
  return (
    `d_k = ${result.dk}, so √d_k = ${rootText}. The scores spread (standard deviation) ` +
    `${spread(result.scaledScores)} with the scaling and ${spread(result.rawScores)} without. ` +
    `Each row’s largest weight averages ${peak(result.weights)} with the scaling and ` +
    `${peak(result.unscaledWeights)} without (1 would mean every query reads one key only).`
  );
}

export const randomSeed = 7;

// Hand-made d_k = 4 vectors. Components loosely mean: 0 "is a noun", 1 "is a verb",
// 2 "is a determiner", 3 "refers back". Queries ask for what a token needs.
export const attentionPresets: readonly AttentionPreset[] = [
  {
    id: 'pronoun',
    label: 'Hand-made, d_k = 4: “ate” and “its” look for the noun',
    description:
      'The queries of “ate” and “its” match the key of the noun “cat”; “fish” looks for its verb.',
    queries: [
      [0, 0, 0.5, 0],
      [0, 0, 2, 0],
      [2, 0, 0, 1],
      [2, 0, 0, 1],
      [0, 2, 1, 0],
    ],
    keys: [
      [0, 0, 1, 0],
      [1, 0, 0, 1],
      [0, 1, 0, 0],
      [0, 0, 1, 1],
      [1, 0, 0, 0],
    ],
  },
  {
    id: 'uniform',
    label: 'Zero queries, d_k = 4: equal weights',
    description:
      'Every score is 0, so each query spreads its weight evenly over the keys it may see.',
    queries: sentence.map(() => [0, 0, 0, 0]),
    keys: gaussianVectors(sentence.length, 4, randomSeed + 1).map((row) =>
      row.map((value) => Math.round(value * 10) / 10),
    ),
  },
  {
    id: 'random-4',
    label: 'Random, d_k = 4',
    description: `Standard-normal queries and keys (seed ${randomSeed}), rounded to one decimal.`,
    queries: gaussianVectors(sentence.length, 4, randomSeed).map((row) =>
      row.map((value) => Math.round(value * 10) / 10),
    ),
    keys: gaussianVectors(sentence.length, 4, randomSeed + 100).map((row) =>
      row.map((value) => Math.round(value * 10) / 10),
    ),
  },
  {
    id: 'random-64',
    label: 'Random, d_k = 64: why the scaling matters',
    description: `Standard-normal queries and keys with 64 components each (seed ${randomSeed}): unscaled scores spread about √64 = 8 times wider, and the softmax turns nearly one-hot.`,
    queries: gaussianVectors(sentence.length, 64, randomSeed),
    keys: gaussianVectors(sentence.length, 64, randomSeed + 100),
  },
];

export function getAttentionPreset(id: string): AttentionPreset {
  const preset = attentionPresets.find((candidate) => candidate.id === id);
  if (!preset) throw new Error(`Unknown attention preset "${id}"`);
  return preset;
}

/** Row and column labels: padding positions say so. */
export function tokenLabels(tokens: readonly string[], mask: MaskSetting): string[] {
  const firstPad = mask.kind === 'padding' ? tokens.length - (mask.padded ?? 1) : tokens.length;
  return tokens.map((token, index) => (index >= firstPad ? `${token} (pad)` : token));
}

/**
 * A weight cell's background: the accent colour at up to 45% strength over the page, which
 * keeps the cell's text readable in both themes.
 */
export function heatBackground(weight: number): string {
  return `color-mix(in srgb, var(--color-accent) ${Math.round(weight * 45)}%, transparent)`;
}

/** Vector entries a reader may type: a range that keeps the exponentials readable. */
export const entryLimit = 10;

export function formatScore(score: number, allowed: boolean): string {
  if (!allowed) return '−∞';
  const text = score.toFixed(2);
  return text === '-0.00' ? '0.00' : text.replace('-', '−');
}

/** Weights to three decimals; a masked weight is exactly 0 and shown as such. */
export function formatWeight(weight: number, allowed: boolean): string {
  return allowed ? weight.toFixed(3) : '0';
}
