import { describe, expect, test } from 'vitest';
import {
  addDays,
  isDue,
  isIsoDate,
  lastBox,
  localIsoDate,
  nextBox,
  schedule,
} from '../../src/utils/leitner';

describe('calendar dates', () => {
  test('recognises real YYYY-MM-DD dates only', () => {
    expect(isIsoDate('2026-12-01')).toBe(true);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('1 Dec 2026')).toBe(false);
  });
  test('adds days across months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(addDays('2026-12-01', 16)).toBe('2026-12-17');
    expect(() => addDays('tomorrow', 1)).toThrow(/YYYY-MM-DD/);
  });
  test('the local date is the reader’s calendar day', () => {
    expect(localIsoDate(new Date(2026, 11, 1, 23, 59))).toBe('2026-12-01');
    expect(localIsoDate(new Date(2026, 0, 9, 0, 0))).toBe('2026-01-09');
  });
});

describe('Leitner boxes', () => {
  test('a new question starts in box 1, or box 2 when known at once', () => {
    expect(nextBox(undefined, 'missed')).toBe(1);
    expect(nextBox(undefined, 'shaky')).toBe(1);
    expect(nextBox(undefined, 'knew')).toBe(2);
  });
  test('knew climbs one box up to the last, shaky stays, missed drops to box 1', () => {
    expect(nextBox(3, 'knew')).toBe(4);
    expect(nextBox(lastBox, 'knew')).toBe(lastBox);
    expect(nextBox(3, 'shaky')).toBe(3);
    expect(nextBox(4, 'missed')).toBe(1);
  });
  test('each box waits twice as long as the one before', () => {
    const today = '2026-12-01';
    expect(schedule(undefined, 'missed', today)).toEqual({ box: 1, due: '2026-12-02' });
    expect(schedule(undefined, 'knew', today)).toEqual({ box: 2, due: '2026-12-03' });
    expect(schedule({ box: 2, due: today }, 'knew', today)).toEqual({ box: 3, due: '2026-12-05' });
    expect(schedule({ box: 4, due: today }, 'knew', today)).toEqual({ box: 5, due: '2026-12-17' });
    expect(schedule({ box: 5, due: today }, 'knew', today)).toEqual({ box: 5, due: '2026-12-17' });
    expect(schedule({ box: 3, due: today }, 'shaky', today)).toEqual({
      box: 3,
      due: '2026-12-05',
    });
    expect(schedule({ box: 5, due: today }, 'missed', today)).toEqual({
      box: 1,
      due: '2026-12-02',
    });
  });
  test('due on and after its date; never-graded questions are not due', () => {
    const planned = { box: 2, due: '2026-12-03' };
    expect(isDue(planned, '2026-12-02')).toBe(false);
    expect(isDue(planned, '2026-12-03')).toBe(true);
    expect(isDue(planned, '2027-01-01')).toBe(true);
    expect(isDue(undefined, '2026-12-03')).toBe(false);
  });
});
