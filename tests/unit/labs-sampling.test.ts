import { describe, expect, test } from 'vitest';
import {
  applySampling,
  defaultSettings,
  descendingOrder,
  drawSamples,
  entropyBits,
  formatPercent,
  getSamplingPreset,
  invalidSetting,
  minPFilter,
  sampleIndex,
  samplingPresets,
  softmax,
  topKFilter,
  topPFilter,
} from '../../src/labs/sampling';

// Question 7's sample (sampling.py) uses these logits; its printed figures are checked below.
const { logits, tokens } = getSamplingPreset('moderate');
const base = softmax(logits);
const support = (probs: number[]) => probs.filter((p) => p > 0).length;
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

describe('softmax and temperature', () => {
  test('matches the Python sample’s distribution at T = 1', () => {
    expect(base[0]).toBeCloseTo(0.345531, 6);
    expect(base[1]).toBeCloseTo(0.255976, 6);
    expect(base[11]).toBeCloseTo(0.000701, 6);
    expect(sum(base)).toBeCloseTo(1, 12);
  });

  test('T → 0 approaches the argmax; large T approaches uniform', () => {
    expect(softmax(logits, 0.01)[0]).toBeGreaterThan(0.999999);
    const hot = softmax(logits, 1000);
    for (const p of hot) expect(p).toBeCloseTo(1 / 12, 3);
  });

  test('entropy rises with temperature, and matches the sample in nats', () => {
    const entropies = [0.1, 0.5, 1, 2, 5].map((t) => entropyBits(softmax(logits, t)));
    for (let i = 1; i < entropies.length; i++)
      expect(entropies[i]).toBeGreaterThan(entropies[i - 1]);
    // sampling.py prints 1.840 nats at T = 1 and 2.254 at T = 2.
    expect(entropyBits(base) * Math.LN2).toBeCloseTo(1.84, 3);
    expect(entropyBits(softmax(logits, 2)) * Math.LN2).toBeCloseTo(2.254, 3);
  });

  test('entropy of the uniform distribution over 12 tokens is log2 12; one-hot is 0', () => {
    expect(entropyBits(Array(12).fill(1 / 12))).toBeCloseTo(Math.log2(12), 12);
    expect(entropyBits([0, 1, 0])).toBe(0);
  });

  test('rejects a temperature of 0 or below', () => {
    expect(() => softmax(logits, 0)).toThrow(/positive/);
    expect(() => softmax(logits, -1)).toThrow(/positive/);
  });
});

describe('filters', () => {
  test('top-k keeps exactly k tokens, the k most likely, renormalised', () => {
    for (const k of [1, 4, 7, 11]) {
      const kept = topKFilter(base, k);
      expect(support(kept)).toBe(k);
      expect(kept.slice(0, k).every((p) => p > 0)).toBe(true);
      expect(sum(kept)).toBeCloseTo(1, 12);
    }
    expect(topKFilter(base, 4)[0]).toBeCloseTo(0.345531 / 0.801731, 5);
    expect(topKFilter(base, 0)).toEqual(base);
    expect(topKFilter(base, 12)).toEqual(base);
  });

  test('top-k breaks ties by list order', () => {
    expect(descendingOrder([0.2, 0.4, 0.2, 0.2])).toEqual([1, 0, 2, 3]);
    expect(topKFilter([0.25, 0.25, 0.25, 0.25], 2)).toEqual([0.5, 0.5, 0, 0]);
  });

  test('top-p keeps the smallest set whose mass reaches p', () => {
    for (const p of [0.3, 0.5, 0.75, 0.9, 0.95, 0.99]) {
      const keptIndices = topPFilter(base, p)
        .map((q, index) => (q > 0 ? index : -1))
        .filter((index) => index >= 0);
      const mass = sum(keptIndices.map((index) => base[index]));
      expect(mass).toBeGreaterThanOrEqual(p);
      // Minimal: without its least likely token the set falls short of p.
      expect(mass - Math.min(...keptIndices.map((index) => base[index]))).toBeLessThan(p);
      // A prefix of the sorted order (these logits are already sorted).
      expect(keptIndices).toEqual(keptIndices.map((_, i) => i));
    }
    // The sample: top-p 0.9 keeps 6 tokens (cumulative 0.864854, then 0.907167).
    expect(support(topPFilter(base, 0.9))).toBe(6);
    expect(support(topPFilter(base, 0.86))).toBe(5);
    expect(support(topPFilter(base, 1))).toBe(12);
    expect(support(topPFilter(base, 0.01))).toBe(1);
  });

  test('a set whose mass equals p exactly is enough', () => {
    expect(topPFilter([0.5, 0.3, 0.2], 0.8)).toEqual([0.5 / 0.8, 0.3 / 0.8, 0]);
  });

  test('min-p keeps tokens with p ≥ min_p × p_max, adapting to the shape', () => {
    const kept = minPFilter(base, 0.1);
    // 0.1 × 0.345531 = 0.0345531: "our" (0.034643) stays, "that" (0.025664) goes.
    expect(support(kept)).toBe(7);
    expect(sum(kept)).toBeCloseTo(1, 12);
    const flat = minPFilter(softmax(logits, 2), 0.1);
    const peaked = minPFilter(softmax(logits, 0.5), 0.1);
    expect(support(flat)).toBeGreaterThan(support(peaked));
    expect(support(minPFilter(base, 1))).toBe(1);
    expect(minPFilter(base, 0)).toEqual(base);
  });
});

describe('the whole pipeline', () => {
  test('with no filters the result is the tempered distribution', () => {
    const result = applySampling(logits, defaultSettings);
    expect(result.filtered).toEqual(result.tempered);
    expect(result.model).toEqual(base);
    expect(result.removedBy.every((reason) => reason === null)).toBe(true);
  });

  test('temperature comes first: top-p 0.9 keeps 6 tokens at T = 1 and 9 at T = 2', () => {
    const at = (temperature: number) =>
      applySampling(logits, { ...defaultSettings, temperature, topP: 0.9 });
    expect(support(at(1).filtered)).toBe(6);
    expect(support(at(2).filtered)).toBe(9);
    // At T = 0.7 four tokens hold 0.899858, just short of 0.9, so a fifth is needed.
    expect(support(at(0.7).filtered)).toBe(5);
  });

  test('top-p runs on the renormalised top-k output, and says which filter removed what', () => {
    const result = applySampling(logits, { temperature: 1, topK: 4, topP: 0.8, minP: 0.4 });
    // After top-k 4: 0.431, 0.319, 0.143, 0.106; top-p 0.8 then needs three of them.
    expect(result.removedBy.slice(0, 4)).toEqual([null, null, 'min-p', 'top-p']);
    expect(result.removedBy.slice(4).every((reason) => reason === 'top-k')).toBe(true);
    expect(result.filtered[0]).toBeCloseTo(0.345531 / (0.345531 + 0.255976), 5);
  });

  test('every preset has twelve tokens with one logit each', () => {
    expect(samplingPresets.length).toBeGreaterThanOrEqual(3);
    for (const preset of samplingPresets) {
      expect(preset.tokens).toHaveLength(12);
      expect(preset.logits).toHaveLength(12);
    }
    expect(tokens[0]).toBe('the');
    expect(() => getSamplingPreset('nope')).toThrow(/Unknown/);
  });

  test('bad settings get a message', () => {
    expect(invalidSetting(defaultSettings, 42)).toBeNull();
    expect(invalidSetting({ ...defaultSettings, temperature: 0 }, 42)).toMatch(/Temperature/);
    expect(invalidSetting({ ...defaultSettings, topP: 0 }, 42)).toMatch(/Top-p/);
    expect(invalidSetting({ ...defaultSettings, topK: 1.5 }, 42)).toMatch(/Top-k/);
    expect(invalidSetting({ ...defaultSettings, minP: 2 }, 42)).toMatch(/Min-p/);
    expect(invalidSetting(defaultSettings, -1)).toMatch(/seed/);
    expect(invalidSetting(defaultSettings, 1.5)).toMatch(/seed/);
    expect(invalidSetting(defaultSettings, NaN)).toMatch(/seed/);
  });
});

describe('seeded sampling', () => {
  test('inverse-CDF picks the first token whose cumulative probability exceeds u', () => {
    const probs = [0.5, 0, 0.3, 0.2];
    expect(sampleIndex(probs, 0)).toBe(0);
    expect(sampleIndex(probs, 0.4999)).toBe(0);
    expect(sampleIndex(probs, 0.5)).toBe(2);
    expect(sampleIndex(probs, 0.85)).toBe(3);
    expect(sampleIndex(probs, 0.9999999999)).toBe(3);
  });

  test('draws are reproducible and their frequencies match the distribution', () => {
    const filtered = applySampling(logits, {
      ...defaultSettings,
      temperature: 0.7,
      topP: 0.9,
    }).filtered;
    expect(drawSamples(filtered, 7, 50)).toEqual(drawSamples(filtered, 7, 50));
    expect(drawSamples(filtered, 7, 50)).not.toEqual(drawSamples(filtered, 8, 50));
    for (const seed of [1, 2, 3]) {
      const n = 20_000;
      const counts = Array(12).fill(0);
      for (const index of drawSamples(filtered, seed, n)) counts[index]++;
      // Never outside the kept set, and close in total variation to the filtered distribution.
      counts.forEach((count, index) => {
        if (filtered[index] === 0) expect(count).toBe(0);
      });
      const tv = sum(counts.map((count, index) => Math.abs(count / n - filtered[index]))) / 2;
      expect(tv).toBeLessThan(0.02);
      const tvFromBase = sum(counts.map((count, index) => Math.abs(count / n - base[index]))) / 2;
      expect(tvFromBase).toBeGreaterThan(0.05);
    }
  });
});

test('percentages keep one decimal and never show a kept token as 0', () => {
  expect(formatPercent(0.345531)).toBe('34.6%');
  expect(formatPercent(0)).toBe('0%');
  expect(formatPercent(0.0001)).toBe('<0.1%');
  expect(formatPercent(1)).toBe('100.0%');
});
