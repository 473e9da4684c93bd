import { describe, expect, test } from 'vitest';
import { mulberry32 } from '../../src/utils/seeded-random';

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

describe('seeded random numbers', () => {
  test('mulberry32 is reproducible, seed-dependent and uniform on [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const first = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(first);
    expect(mulberry32(43)()).not.toBe(first[0]);
    const values = Array.from({ length: 100_000 }, mulberry32(1));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(sum(values) / values.length).toBeCloseTo(0.5, 2);
  });
});
