import { describe, expect, test } from 'vitest';
import {
  attention,
  attentionMask,
  attentionPresets,
  attentionScores,
  dot,
  formatScore,
  formatWeight,
  gaussianVectors,
  getAttentionPreset,
  maskedSoftmax,
  meanMaxWeight,
  scoreSpread,
  sentence,
  type MaskSetting,
} from '../../src/labs/attention';

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const masks: MaskSetting[] = [
  { kind: 'none' },
  { kind: 'causal' },
  { kind: 'padding', padded: 1 },
  { kind: 'padding', padded: 2 },
];

describe('scores', () => {
  test('QKᵀ/√d_k on hand-checked vectors', () => {
    const queries = [
      [1, 0, 2, 0],
      [0, 1, 0, 1],
    ];
    const keys = [
      [1, 1, 1, 1],
      [2, 0, 0, -2],
    ];
    expect(dot([1, 0, 2, 0], [1, 1, 1, 1])).toBe(3);
    // √4 = 2 halves every raw score.
    expect(attentionScores(queries, keys, false)).toEqual([
      [3, 2],
      [2, -2],
    ]);
    expect(attentionScores(queries, keys, true)).toEqual([
      [1.5, 1],
      [1, -1],
    ]);
    expect(() => dot([1, 2], [1])).toThrow(/length/);
  });

  test('one row by hand: softmax of [1.5, 1] is [0.6225, 0.3775]', () => {
    const [row] = maskedSoftmax([[1.5, 1]], [[true, true]]);
    expect(row[0]).toBeCloseTo(Math.exp(0.5) / (Math.exp(0.5) + 1), 12);
    expect(row[0]).toBeCloseTo(0.6225, 4);
  });
});

describe('masks', () => {
  test('causal is lower-triangular; padding blocks the last keys for every query', () => {
    expect(attentionMask(3, { kind: 'causal' })).toEqual([
      [true, false, false],
      [true, true, false],
      [true, true, true],
    ]);
    expect(attentionMask(4, { kind: 'padding', padded: 2 })).toEqual(
      Array(4).fill([true, true, false, false]),
    );
    expect(attentionMask(2, { kind: 'none' })).toEqual([
      [true, true],
      [true, true],
    ]);
    expect(() => attentionMask(3, { kind: 'padding', padded: 3 })).toThrow(/padding/);
    expect(() => attentionMask(3, { kind: 'padding', padded: 0 })).toThrow(/padding/);
  });

  test('a row with every key blocked gives zeros, never NaN', () => {
    expect(maskedSoftmax([[1, 2]], [[false, false]])).toEqual([[0, 0]]);
  });
});

describe('weights for every preset and mask', () => {
  test.each(attentionPresets.flatMap((preset) => masks.map((mask) => [preset.id, mask] as const)))(
    '%s with %o: rows sum to 1 and masked weights are exactly 0',
    (id, mask) => {
      const preset = getAttentionPreset(id);
      const result = attention(preset.queries, preset.keys, mask);
      for (const weights of [result.weights, result.unscaledWeights]) {
        weights.forEach((row, i) => {
          expect(sum(row)).toBeCloseTo(1, 12);
          row.forEach((weight, j) => {
            if (!result.allowed[i][j]) expect(weight).toBe(0);
            else expect(weight).toBeGreaterThan(0);
          });
        });
      }
    },
  );

  test('the causal mask leaves the first token attending only to itself', () => {
    const preset = getAttentionPreset('pronoun');
    const result = attention(preset.queries, preset.keys, { kind: 'causal' });
    expect(result.weights[0]).toEqual([1, 0, 0, 0, 0]);
    // "its" (row 3) cannot see "fish", so "cat" wins: scores 0, 1.5, 0, 0.5 after scaling.
    const e = [0, 1.5, 0, 0.5].map(Math.exp);
    expect(result.weights[3][1]).toBeCloseTo(e[1] / sum(e), 12);
  });

  test('zero queries spread weight evenly over the visible keys', () => {
    const preset = getAttentionPreset('uniform');
    const result = attention(preset.queries, preset.keys, { kind: 'causal' });
    result.weights.forEach((row, i) => {
      for (let j = 0; j <= i; j++) expect(row[j]).toBeCloseTo(1 / (i + 1), 12);
    });
  });

  test('presets use the five-token sentence, with d_k = 4 or 64', () => {
    for (const preset of attentionPresets) {
      expect(preset.queries).toHaveLength(sentence.length);
      expect(preset.keys).toHaveLength(sentence.length);
    }
    expect(getAttentionPreset('pronoun').keys[0]).toHaveLength(4);
    expect(getAttentionPreset('random-64').keys[0]).toHaveLength(64);
    expect(() => getAttentionPreset('nope')).toThrow(/Unknown/);
    expect(() => attention([[1]], [[1], [2]], { kind: 'none' })).toThrow(/queries/);
  });
});

describe('why divide by √d_k', () => {
  test('seeded normal vectors are reproducible with mean 0 and variance 1', () => {
    expect(gaussianVectors(2, 3, 5)).toEqual(gaussianVectors(2, 3, 5));
    expect(gaussianVectors(2, 3, 5)).not.toEqual(gaussianVectors(2, 3, 6));
    const values = gaussianVectors(200, 100, 1).flat();
    const mean = sum(values) / values.length;
    const variance = sum(values.map((value) => (value - mean) ** 2)) / values.length;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(variance).toBeCloseTo(1, 1);
  });

  test('at d_k = 64 unscaled scores spread about 8 times wider, and the weights go near one-hot', () => {
    // Many random vectors so the spread is measured, not guessed from five tokens.
    const queries = gaussianVectors(64, 64, 11);
    const keys = gaussianVectors(64, 64, 12);
    const result = attention(queries, keys, { kind: 'none' });
    const raw = scoreSpread(result.rawScores, result.allowed);
    const scaled = scoreSpread(result.scaledScores, result.allowed);
    expect(raw / scaled).toBeCloseTo(8, 10);
    expect(scaled).toBeGreaterThan(0.85);
    expect(scaled).toBeLessThan(1.15);
    expect(meanMaxWeight(result.unscaledWeights)).toBeGreaterThan(0.7);
    expect(meanMaxWeight(result.weights)).toBeLessThan(0.4);
  });

  test('the d_k = 64 preset shows the same effect on its five tokens', () => {
    const preset = getAttentionPreset('random-64');
    const result = attention(preset.queries, preset.keys, { kind: 'none' });
    expect(meanMaxWeight(result.unscaledWeights)).toBeGreaterThan(0.9);
    expect(meanMaxWeight(result.weights)).toBeLessThan(0.6);
  });

  test('mean largest weight is 1/n for uniform rows and 1 for one-hot rows', () => {
    expect(meanMaxWeight([[0.25, 0.25, 0.25, 0.25]])).toBe(0.25);
    expect(meanMaxWeight([[0, 1, 0]])).toBe(1);
  });
});

test('numbers are shown with a true minus sign, and masked cells as −∞ and 0', () => {
  expect(formatScore(-1.234, true)).toBe('−1.23');
  expect(formatScore(-0.001, true)).toBe('0.00');
  expect(formatScore(5, false)).toBe('−∞');
  expect(formatWeight(0.12345, true)).toBe('0.123');
  expect(formatWeight(0, false)).toBe('0');
});
