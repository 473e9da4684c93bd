import { describe, expect, test } from 'vitest';
import {
  EOS,
  beamSearch,
  checkTree,
  crossoverAlpha,
  describeResult,
  describeStep,
  exhaustive,
  formatNumber,
  greedy,
  lengthPenalty,
  weatherMaxLength as maxLength,
  weatherTree as tree,
  type BeamOptions,
  type PenaltyKind,
} from '../../src/labs/beam-search';

const words = (text: string) => text.split(' ');
const run = (width: number, alpha = 0, kind: PenaltyKind = 'gnmt', earlyStop = true) =>
  beamSearch(tree, { width, alpha, kind, maxLength, earlyStop });
const keptPerStep = (width: number, alpha = 0, kind: PenaltyKind = 'gnmt') =>
  run(width, alpha, kind).steps.map((step) => step.kept.map((beam) => beam.tokens.join(' ')));

describe('length penalty', () => {
  test('GNMT: ((5 + |Y|) / 6)^α, 1 for one token', () => {
    expect(lengthPenalty(1, 1)).toBe(1);
    expect(lengthPenalty(1, 0.6)).toBe(1);
    expect(lengthPenalty(7, 1)).toBeCloseTo(2, 12);
    expect(lengthPenalty(7, 2)).toBeCloseTo(4, 12);
    expect(lengthPenalty(4, 1, 'gnmt')).toBeCloseTo(1.5, 12);
  });

  test('simple: |Y|^α; α = 0 leaves the log-probability alone', () => {
    expect(lengthPenalty(4, 1, 'simple')).toBe(4);
    expect(lengthPenalty(4, 0.5, 'simple')).toBe(2);
    expect(lengthPenalty(9, 0, 'simple')).toBe(1);
    expect(lengthPenalty(9, 0, 'gnmt')).toBe(1);
  });
});

describe('the tree', () => {
  test('is well formed: every distribution sums to 1, every live prefix continues', () => {
    expect(checkTree(tree, maxLength)).toEqual([]);
  });

  test('a malformed tree is reported, not decoded silently', () => {
    const broken = { '': [['a', 0.7] as const, [EOS, 0.2] as const] };
    expect(checkTree(broken, 3)).toEqual([
      'prefix "": probabilities sum to 0.8999999999999999',
      'prefix "a" has no next-token probabilities',
    ]);
    expect(() => beamSearch(broken, { width: 2, alpha: 0, kind: 'gnmt', maxLength: 3 })).toThrow(
      'The tree has no next-token probabilities for "a"',
    );
  });
});

describe('greedy', () => {
  test('takes "very" (0.5), then "cold" (0.35), then EOS (0.6): p = 0.105', () => {
    const path = greedy(tree, maxLength);
    expect(path.tokens).toEqual(['very', 'cold', EOS]);
    expect(path.steps.map((step) => step.prob)).toEqual([0.5, 0.35, 0.6]);
    expect(path.logProb).toBeCloseTo(Math.log(0.105), 12);
    expect(path.logProb).toBeCloseTo(-2.2538, 4);
  });

  test('beam width 1 is greedy without a length penalty, and with GNMT up to α = 1', () => {
    const path = greedy(tree, maxLength);
    for (const [alpha, kind] of [
      [0, 'gnmt'],
      [0, 'simple'],
      [0.6, 'gnmt'],
      [1, 'gnmt'],
    ] as const) {
      const result = run(1, alpha, kind);
      expect(result.best?.tokens).toEqual(path.tokens);
      expect(result.best?.logProb).toBeCloseTo(path.logProb, 12);
    }
    expect(keptPerStep(1)).toEqual([['very'], ['very cold'], ['very cold again']]);
  });

  test('with a strong penalty the single beam outlives greedy’s EOS (it keeps the runner-up)', () => {
    // Step 3 finishes "very cold EOS" but keeps "very cold again" alive; its bound under α = 2
    // beats the finished score, so the search goes on and the longer hypothesis wins.
    expect(run(1, 2, 'gnmt').best?.tokens).toEqual(words('very cold again EOS'));
    expect(run(1, 1, 'simple').best?.tokens).toEqual(words('very cold again EOS'));
  });
});

describe('beam search on the weather tree', () => {
  test('width 2 finds "sunny EOS" (p 0.22), more probable than greedy’s "very cold EOS" (p 0.105)', () => {
    const result = run(2);
    expect(result.best?.tokens).toEqual(['sunny', EOS]);
    expect(result.best?.logProb).toBeCloseTo(Math.log(0.22), 12);
    expect(result.best?.logProb).toBeCloseTo(-1.5141, 4);
    expect(result.best!.logProb).toBeGreaterThan(greedy(tree, maxLength).logProb + 0.7);
    for (const width of [3, 4]) expect(run(width).best?.tokens).toEqual(['sunny', EOS]);
  });

  test('width 2 keeps these beams, step by step', () => {
    expect(keptPerStep(2)).toEqual([
      ['very', 'sunny'],
      ['sunny and', 'very cold'],
    ]);
    expect(keptPerStep(2, 1)).toEqual([
      ['very', 'sunny'],
      ['sunny and', 'very cold'],
      ['sunny and warm', 'very cold again'],
      [],
    ]);
    expect(keptPerStep(3, 1)[1]).toEqual(['sunny and', 'very cold', 'very warm']);
  });

  test('candidates: the top 2B are looked at, EOS finishes only inside the top B', () => {
    const [first, second] = run(2, 1).steps;
    expect(first.candidates.map((c) => [c.tokens.join(' '), c.status, c.reason])).toEqual([
      ['very', 'beam', ''],
      ['sunny', 'beam', ''],
      [EOS, 'pruned', 'ends outside the top B'],
    ]);
    expect(second.candidates.map((c) => [c.tokens.join(' '), c.status, c.reason])).toEqual([
      ['sunny EOS', 'finished', ''],
      ['sunny and', 'beam', ''],
      ['very cold', 'beam', ''],
      ['very warm', 'pruned', 'beam full'],
      ['very sunny', 'pruned', 'outside the top 2B'],
      ['very EOS', 'pruned', 'outside the top 2B'],
    ]);
    // With B = 3 the empty output ranks inside the beam and finishes at step 1.
    expect(run(3, 1).steps[0].finished.map((h) => h.tokens)).toEqual([[EOS]]);
  });

  test('α changes the winner: raw log-prob picks the short answer, a strong penalty the long one', () => {
    const short = words('sunny EOS');
    const long = words('sunny and warm EOS');
    expect(run(2, 0, 'gnmt').best?.tokens).toEqual(short);
    expect(run(2, 0.7, 'gnmt').best?.tokens).toEqual(short);
    expect(run(2, 0.8, 'gnmt').best?.tokens).toEqual(long);
    expect(run(2, 1, 'gnmt').best?.tokens).toEqual(long);
    expect(run(2, 1, 'gnmt').best?.score).toBeCloseTo(Math.log(0.162) / 1.5, 12);
    expect(run(2, 0.2, 'simple').best?.tokens).toEqual(short);
    expect(run(2, 0.3, 'simple').best?.tokens).toEqual(long);
  });

  test('the crossover α: 0.733 for GNMT, 0.266 for the simple penalty', () => {
    const all = exhaustive(tree, maxLength, 0, 'gnmt');
    const find = (text: string) => all.find((h) => h.tokens.join(' ') === text)!;
    const [short, long] = [find('sunny EOS'), find('sunny and warm EOS')];
    expect(crossoverAlpha(short, long, 'gnmt')).toBeCloseTo(0.7325, 4);
    expect(crossoverAlpha(short, long, 'simple')).toBeCloseTo(0.2656, 4);
    expect(run(2, 0.73, 'gnmt').best?.tokens).toEqual(short.tokens);
    expect(run(2, 0.74, 'gnmt').best?.tokens).toEqual(long.tokens);
  });

  test('stopping: early at step 2 without a penalty, at the maximum length with α = 1', () => {
    expect(run(2).steps.map((step) => step.stop)).toEqual([null, 'early-stop']);
    expect(run(2).steps[1].bound).toBeCloseTo(Math.log(0.18), 12);
    expect(run(2, 1).steps.map((step) => step.stop)).toEqual([null, null, null, 'max-length']);
    // Bound at step 2 under GNMT α = 1: log 0.18 / lp(4) = log 0.18 / 1.5.
    expect(run(2, 1).steps[1].bound).toBeCloseTo(Math.log(0.18) / 1.5, 12);
  });

  test('the exact early stop never changes the answer', () => {
    for (const kind of ['gnmt', 'simple'] as const) {
      for (let tenths = 0; tenths <= 20; tenths++) {
        for (const width of [1, 2, 3, 4]) {
          const stopped = run(width, tenths / 10, kind);
          const full = run(width, tenths / 10, kind, false);
          expect(stopped.best?.tokens).toEqual(full.best?.tokens);
          expect(full.steps.at(-1)?.stop).not.toBe('early-stop');
        }
      }
    }
  });

  test('width 4 is wide enough: it equals exhaustive search for every α and both penalties', () => {
    for (const kind of ['gnmt', 'simple'] as const) {
      for (let tenths = 0; tenths <= 20; tenths++) {
        const alpha = tenths / 10;
        const exact = exhaustive(tree, maxLength, alpha, kind)[0];
        const found = run(4, alpha, kind).best!;
        expect(found.tokens, `${kind} α=${alpha}`).toEqual(exact.tokens);
        expect(found.score).toBeCloseTo(exact.score, 12);
      }
    }
    expect(exhaustive(tree, maxLength, 0, 'gnmt')).toHaveLength(11);
  });
});

describe('the words the lab shows', () => {
  const options: BeamOptions = { width: 2, alpha: 1, kind: 'gnmt', maxLength };
  const result = beamSearch(tree, options);
  const path = greedy(tree, maxLength);

  test('a step lists every candidate with its numbers and what became of it', () => {
    const view = describeStep(result.steps[1], path, options);
    expect(view.rows[0]).toEqual({
      prefix: 'sunny',
      token: EOS,
      logProb: '−1.514',
      prob: '0.220',
      score: '−1.298',
      status: 'finished',
      outcome: 'finished',
      greedy: false,
    });
    expect(
      view.rows.filter((row) => row.greedy).map((row) => row.prefix + ' ' + row.token),
    ).toEqual(['very cold']);
    expect(view.kept).toEqual(['sunny and', 'very cold']);
    expect(view.finished).toEqual(['sunny EOS (−1.298)']);
    expect(view.greedyNote).toBe(
      'Greedy takes “cold” (p 0.350), giving “very cold”, which the beam keeps too. The best live beam is “sunny and”.',
    );
    expect(view.stopNote).toContain('could still reach −1.143');
  });

  test('the result compares beam with greedy', () => {
    expect(describeResult(result, path, options)).toEqual({
      beam: 'Beam search (B = 2, GNMT, α = 1.0) returns “sunny and warm EOS”: log p −1.820 (p 0.162), score −1.213.',
      greedy:
        'Greedy returns “very cold EOS”: log p −2.254 (p 0.105), score −1.690 under the same penalty.',
      comparison: 'They disagree: beam search found a more probable sequence than greedy.',
    });
    const one = { ...options, width: 1 };
    expect(describeResult(beamSearch(tree, one), path, one).comparison).toBe(
      'Beam search and greedy agree.',
    );
  });

  test('numbers use a real minus sign and never show −0', () => {
    expect(formatNumber(-1.2345)).toBe('−1.234');
    expect(formatNumber(-0.0001)).toBe('0.000');
    expect(formatNumber(0.5, 1)).toBe('0.5');
  });
});
