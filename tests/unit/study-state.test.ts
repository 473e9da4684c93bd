import { describe, expect, test } from 'vitest';
import {
  countProgress,
  emptyStudyState,
  mergeStudyStates,
  parseStudyState,
  progressOf,
  recordGrade,
  serializeStudyState,
  setFlag,
} from '../../src/utils/study-state';

const today = '2026-12-01';

describe('updating progress', () => {
  test('flags set and clear; a question with nothing left is dropped', () => {
    let state = setFlag(emptyStudyState(), 12, 'studied', true);
    state = setFlag(state, 12, 'bookmarked', true);
    expect(progressOf(state, 12)).toEqual({ studied: true, bookmarked: true });
    state = setFlag(setFlag(state, 12, 'studied', false), 12, 'bookmarked', false);
    expect(state.questions).toEqual({});
  });
  test('a grade schedules the question and keeps its flags', () => {
    let state = setFlag(emptyStudyState(), 7, 'bookmarked', true);
    state = recordGrade(state, 7, 'knew', today);
    expect(progressOf(state, 7)).toEqual({
      bookmarked: true,
      box: 2,
      due: '2026-12-03',
      lastGrade: 'knew',
      lastReviewed: today,
    });
    state = recordGrade(state, 7, 'missed', '2026-12-03');
    expect(progressOf(state, 7)).toMatchObject({ box: 1, due: '2026-12-04', lastGrade: 'missed' });
  });
  test('the original state is never changed', () => {
    const state = emptyStudyState();
    setFlag(state, 1, 'studied', true);
    recordGrade(state, 1, 'knew', today);
    expect(state.questions).toEqual({});
  });
});

describe('counting', () => {
  test('studied, bookmarked and due over a set of questions', () => {
    let state = setFlag(emptyStudyState(), 1, 'studied', true);
    state = setFlag(state, 2, 'studied', true);
    state = setFlag(state, 2, 'bookmarked', true);
    state = recordGrade(state, 3, 'missed', '2026-11-28');
    state = recordGrade(state, 4, 'knew', today);
    state = setFlag(state, 40, 'studied', true);
    expect(countProgress(state, [1, 2, 3, 4, 5], today)).toEqual({
      total: 5,
      studied: 2,
      bookmarked: 1,
      due: 1,
    });
  });
});

describe('export and import', () => {
  test('an exported file reads back to the same state', () => {
    let state = setFlag(emptyStudyState(), 12, 'studied', true);
    state = recordGrade(state, 66, 'shaky', today);
    const file = serializeStudyState(state, new Date('2026-12-01T10:00:00Z'));
    expect(file).toContain('"format": "genai-interview-guide-progress"');
    expect(file).toContain('"exportedAt": "2026-12-01T10:00:00.000Z"');
    expect(parseStudyState(file, [12, 66])).toEqual({ ok: true, state });
  });
  test.each([
    ['not json', 'not JSON'],
    ['[]', 'progress object'],
    ['{"format":"other","version":1,"questions":{}}', '"format" is "other"'],
    ['{"version":2,"questions":{}}', '"version" must be 1'],
    ['{"version":1}', '"questions" must be an object'],
    [
      '{"version":1,"questions":{"99":{"studied":true}}}',
      'questions["99"]: there is no question 99',
    ],
    ['{"version":1,"questions":{"x":{}}}', 'questions["x"]: there is no question x'],
    ['{"version":1,"questions":{"12":true}}', 'questions["12"] must be an object'],
    ['{"version":1,"questions":{"12":{"studied":"yes"}}}', 'questions["12"].studied must be true'],
    [
      '{"version":1,"questions":{"12":{"box":9,"due":"2026-12-01"}}}',
      '.box must be a whole number',
    ],
    ['{"version":1,"questions":{"12":{"box":2,"due":"2026-02-30"}}}', '.due must be a date'],
    ['{"version":1,"questions":{"12":{"box":2}}}', 'needs both box and due'],
    ['{"version":1,"questions":{"12":{"lastGrade":"perfect"}}}', '.lastGrade must be one of'],
    ['{"version":1,"questions":{"12":{"colour":"red"}}}', '.colour is not a known field'],
  ])('a malformed file is refused with a message naming the field: %s', (text, message) => {
    const result = parseStudyState(text, [1, 12]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(message);
  });
  test('merging keeps every flag and the latest review of each question', () => {
    let mine = setFlag(emptyStudyState(), 1, 'studied', true);
    mine = recordGrade(mine, 2, 'knew', '2026-11-20');
    mine = recordGrade(mine, 3, 'missed', '2026-11-30');
    let theirs = setFlag(emptyStudyState(), 1, 'bookmarked', true);
    theirs = recordGrade(theirs, 2, 'missed', '2026-11-25');
    theirs = recordGrade(theirs, 3, 'knew', '2026-11-10');
    theirs = setFlag(theirs, 4, 'studied', true);
    const merged = mergeStudyStates(mine, theirs);
    expect(progressOf(merged, 1)).toEqual({ studied: true, bookmarked: true });
    expect(progressOf(merged, 2)).toMatchObject({ box: 1, lastReviewed: '2026-11-25' });
    expect(progressOf(merged, 3)).toMatchObject({ box: 1, lastReviewed: '2026-11-30' });
    expect(progressOf(merged, 4)).toEqual({ studied: true });
  });
});
