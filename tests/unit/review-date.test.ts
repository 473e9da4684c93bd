import { describe, expect, test } from 'vitest';
import { daysBetween, describeReviewDate, shortDate } from '../../src/utils/review-date';

describe('review dates', () => {
  test('counts calendar days, across months and a daylight-saving change', () => {
    expect(daysBetween('2026-12-01', '2026-12-05')).toBe(4);
    expect(daysBetween('2026-12-30', '2027-01-02')).toBe(3);
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
    expect(daysBetween('2026-12-05', '2026-12-01')).toBe(-4);
    expect(() => daysBetween('today', '2026-12-01')).toThrow(/YYYY-MM-DD/);
  });

  test('writes a short date with its weekday', () => {
    expect(shortDate('2026-12-08')).toBe('Tue 8 Dec');
    expect(shortDate('2027-01-01')).toBe('Fri 1 Jan');
  });

  test('says when the question comes back', () => {
    expect(describeReviewDate('2026-12-02', '2026-12-01')).toBe('tomorrow (Wed 2 Dec)');
    expect(describeReviewDate('2026-12-05', '2026-12-01')).toBe('in 4 days (Sat 5 Dec)');
    expect(describeReviewDate('2026-12-01', '2026-12-01')).toBe('today');
    expect(describeReviewDate('2026-11-28', '2026-12-01')).toBe('today');
  });
});
