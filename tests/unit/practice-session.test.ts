import { mulberry32 } from '../../src/utils/seeded-random';
import { describe, expect, test } from 'vitest';
import {
  countGrades,
  defaultDrawOptions,
  describeEmptyDraw,
  describeProgress,
  drawSearch,
  drawSession,
  encodeSession,
  isDrawRequest,
  missedNumbers,
  parseDrawOptions,
  parseSession,
  parseSessionProgress,
  sessionProgressKey,
  seededShuffle,
  sessionSearch,
  whenDue,
  type DrawOptions,
  type PracticeQuestion,
} from '../../src/utils/practice-session';
import {
  emptyStudyState,
  recordGrade,
  setFlag,
  type StudyState,
} from '../../src/utils/study-state';

const today = '2026-12-10';

/** Ten questions over two topics and three difficulties. */
const questions: PracticeQuestion[] = [
  { number: 1, topic: 'fundamentals', difficulty: 'foundational' },
  { number: 2, topic: 'fundamentals', difficulty: 'intermediate' },
  { number: 3, topic: 'fundamentals', difficulty: 'advanced' },
  { number: 4, topic: 'architecture', difficulty: 'foundational' },
  { number: 5, topic: 'architecture', difficulty: 'intermediate' },
  { number: 6, topic: 'architecture', difficulty: 'intermediate' },
  { number: 7, topic: 'architecture', difficulty: 'advanced' },
  { number: 8, topic: 'fundamentals', difficulty: 'intermediate' },
  { number: 9, topic: 'architecture', difficulty: 'advanced' },
  { number: 10, topic: 'fundamentals', difficulty: 'foundational' },
];
const known = questions.map((question) => question.number);
const knownIds = {
  topics: ['fundamentals', 'architecture'],
  difficulties: ['foundational', 'intermediate', 'advanced'],
};

const options = (overrides: Partial<DrawOptions>): DrawOptions => ({
  ...defaultDrawOptions,
  count: 'all',
  ...overrides,
});

/** A state where 3 was due on 12-01, 7 on 12-07, 5 today, 9 on 12-20; 2 bookmarked; 4 studied. */
function studiedState(): StudyState {
  let state = emptyStudyState();
  state = setFlag(state, 2, 'bookmarked', true);
  state = setFlag(state, 4, 'studied', true);
  state = recordGrade(state, 3, 'missed', '2026-11-30'); // box 1, due 12-01
  state = recordGrade(state, 7, 'shaky', '2026-12-06'); // new + shaky: box 1, due 12-07
  state = recordGrade(state, 5, 'knew', '2026-12-08'); // box 2, due 12-10
  state = recordGrade(state, 9, 'knew', '2026-12-18'); // box 2, due 12-20
  return state;
}

describe('seeded shuffle', () => {
  test('mulberry32 gives its published first value for seed 1', () => {
    expect(mulberry32(1)()).toBeCloseTo(0.6270739405881613, 15);
  });
  test('the same seed gives the same order, another seed another order', () => {
    const items = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(seededShuffle(items, 42)).toEqual([1, 8, 4, 6, 3, 2, 9, 10, 5, 7]);
    expect(seededShuffle(items, 42)).toEqual(seededShuffle(items, 42));
    expect(seededShuffle(items, 43)).toEqual([9, 2, 8, 6, 4, 7, 1, 5, 3, 10]);
    expect(items).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});

describe('drawing a session', () => {
  const state = studiedState();

  test('"all" draws every matching question, shuffled by the seed, cut to the count', () => {
    expect(drawSession(questions, state, today, options({}), 42)).toEqual([
      1, 8, 4, 6, 3, 2, 9, 10, 5, 7,
    ]);
    expect(drawSession(questions, state, today, options({ count: 3 }), 42)).toEqual([1, 8, 4]);
    expect(drawSession(questions, state, today, options({ count: 20 }), 42)).toHaveLength(10);
  });

  test('topic and difficulty filter', () => {
    const architecture = drawSession(
      questions,
      state,
      today,
      options({ topic: 'architecture' }),
      7,
    );
    expect([...architecture].sort((a, b) => a - b)).toEqual([4, 5, 6, 7, 9]);
    const hardFundamentals = drawSession(
      questions,
      state,
      today,
      options({ topic: 'fundamentals', difficulty: 'advanced' }),
      7,
    );
    expect(hardFundamentals).toEqual([3]);
    const intermediate = drawSession(
      questions,
      state,
      today,
      options({ difficulty: 'intermediate' }),
      7,
    );
    expect([...intermediate].sort((a, b) => a - b)).toEqual([2, 5, 6, 8]);
  });

  test('"due" takes graded questions due by today, most overdue first, whatever the seed', () => {
    for (const seed of [1, 2, 3, 42])
      expect(drawSession(questions, state, today, options({ from: 'due' }), seed)).toEqual([
        3, 7, 5,
      ]);
    expect(drawSession(questions, state, '2026-12-06', options({ from: 'due' }), 1)).toEqual([3]);
    expect(drawSession(questions, state, '2026-12-07', options({ from: 'due' }), 1)).toEqual([
      3, 7,
    ]);
    expect(
      drawSession(questions, state, today, options({ from: 'due', topic: 'architecture' }), 1),
    ).toEqual([7, 5]);
    expect(drawSession(questions, state, today, options({ from: 'due', count: 2 }), 1)).toEqual([
      3, 7,
    ]);
  });

  test('questions due on the same day are ordered by the seed', () => {
    let state = emptyStudyState();
    for (const number of [1, 2, 3, 4, 5, 6]) state = recordGrade(state, number, 'missed', today);
    const tomorrow = '2026-12-11';
    const orders = [1, 2, 3].map((seed) =>
      drawSession(questions, state, tomorrow, options({ from: 'due' }), seed),
    );
    for (const order of orders)
      expect([...order].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Set(orders.map((order) => order.join())).size).toBeGreaterThan(1);
  });

  test('"bookmarked" and "unstudied"', () => {
    expect(drawSession(questions, state, today, options({ from: 'bookmarked' }), 1)).toEqual([2]);
    const unstudied = drawSession(questions, state, today, options({ from: 'unstudied' }), 1);
    // 4 is marked studied; 3, 5, 7 and 9 have been graded.
    expect([...unstudied].sort((a, b) => a - b)).toEqual([1, 2, 6, 8, 10]);
  });

  test('an empty draw says why', () => {
    const empty = emptyStudyState();
    expect(describeEmptyDraw(questions, empty, today, options({ from: 'due' }))).toMatch(
      /Nothing is due: questions become due once you have graded them/,
    );
    const dueArchitecture = options({ from: 'due', topic: 'architecture' });
    expect(drawSession(questions, state, '2026-12-05', dueArchitecture, 1)).toEqual([]);
    expect(describeEmptyDraw(questions, state, '2026-12-05', dueArchitecture)).toBe(
      'Nothing is due here today. The next question comes back in 2 days (Mon 7 Dec).',
    );
    const allStudied = known.reduce((done, n) => setFlag(done, n, 'studied', true), empty);
    expect(drawSession(questions, allStudied, today, options({ from: 'unstudied' }), 1)).toEqual(
      [],
    );
    expect(describeEmptyDraw(questions, allStudied, today, options({ from: 'unstudied' }))).toBe(
      'You have studied or graded every question. Well done.',
    );
    expect(
      describeEmptyDraw(
        questions,
        state,
        today,
        options({ from: 'bookmarked', topic: 'architecture' }),
      ),
    ).toMatch(/not bookmarked any question here/);
    expect(describeEmptyDraw(questions, state, today, options({ topic: 'nothing-here' }))).toBe(
      'No published question has this topic and difficulty.',
    );
  });
});

describe('the draw form’s parameters', () => {
  test('missing parameters take the defaults; good ones are read', () => {
    expect(parseDrawOptions(new URLSearchParams(''), knownIds)).toEqual({
      ok: true,
      options: defaultDrawOptions,
    });
    expect(
      parseDrawOptions(
        new URLSearchParams('from=due&topic=architecture&difficulty=advanced&count=all'),
        knownIds,
      ),
    ).toEqual({
      ok: true,
      options: { from: 'due', topic: 'architecture', difficulty: 'advanced', count: 'all' },
    });
    expect(parseDrawOptions(new URLSearchParams('count=5'), knownIds)).toMatchObject({
      ok: true,
      options: { count: 5 },
    });
  });

  test('hostile and malformed values are each named, and the good ones kept', () => {
    const result = parseDrawOptions(
      new URLSearchParams({
        from: '<img src=x onerror=alert(1)>',
        topic: 'architecture',
        difficulty: 'impossible',
        count: '-3',
      }),
      knownIds,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      '"from" is "<img src=x onerror=alert(1)>"; choose all, due, bookmarked, unstudied.',
      '"difficulty" is "impossible"; choose any, foundational, intermediate, advanced.',
      '"count" is "-3"; give a number from 1 to 500, or all.',
    ]);
    expect(result.options.topic).toBe('architecture');
    for (const count of ['0', '501', '1e3', '10.5', ' 10', ''])
      expect(parseDrawOptions(new URLSearchParams({ count }), knownIds).ok).toBe(false);
    const long = parseDrawOptions(new URLSearchParams({ topic: 'x'.repeat(5000) }), knownIds);
    expect(long.ok ? '' : long.errors[0]).toBe(`There is no topic "${'x'.repeat(40)}…".`);
  });

  test('a URL asks for a draw when it has any form parameter', () => {
    expect(isDrawRequest(new URLSearchParams('from=due'))).toBe(true);
    expect(isDrawRequest(new URLSearchParams('count=5'))).toBe(true);
    expect(isDrawRequest(new URLSearchParams('session=1.2'))).toBe(false);
    expect(drawSearch({ from: 'all', topic: 'coding' })).toBe('?from=all&topic=coding');
  });
});

describe('session URLs', () => {
  test('encode and decode round-trip, order kept', () => {
    const numbers = [10, 3, 7, 1];
    expect(encodeSession(numbers)).toBe('10.3.7.1');
    expect(sessionSearch(numbers)).toBe('?session=10.3.7.1');
    const params = new URLSearchParams(sessionSearch(numbers));
    expect(parseSession(params.get('session')!, known)).toEqual({ ok: true, numbers });
    const all = seededShuffle(known, 5);
    expect(parseSession(encodeSession(all), known)).toEqual({ ok: true, numbers: all });
  });

  test('malformed and hostile lists get a clear message', () => {
    const error = (value: string) => {
      const result = parseSession(value, known);
      return result.ok ? 'ok' : result.error;
    };
    expect(error('')).toBe('The session link holds no question numbers.');
    expect(error('3.99.1')).toBe('The session link names question 99, which is not published.');
    expect(error('3.1.3')).toBe('The session link lists question 3 twice.');
    expect(error('3.abc')).toBe('"abc" in the session link is not a question number.');
    expect(error('3..4')).toBe('The session link has an empty place between its dots.');
    expect(error('3.')).toBe('The session link has an empty place between its dots.');
    expect(error('03')).toBe('"03" in the session link is not a question number.');
    expect(error('-3')).toBe('"-3" in the session link is not a question number.');
    expect(error('1,2')).toBe('"1,2" in the session link is not a question number.');
    expect(error('<script>alert(1)</script>')).toBe(
      '"<script>alert(1)</script>" in the session link is not a question number.',
    );
    expect(error('1.2.3.4.5.6.7.8.9.10.1')).toBe(
      'The session link is too long: it lists 11 questions and the site has 10.',
    );
    expect(error('1'.repeat(5000))).toBe('The session link is too long (5000 characters).');
    expect(error(' 3.1 ')).toBe('ok');
  });
});

describe('dates and results in words', () => {
  test('when a question is due, overdue included', () => {
    expect(whenDue('2026-12-10', today)).toBe('today');
    expect(whenDue('2026-12-11', today)).toBe('tomorrow (Fri 11 Dec)');
    expect(whenDue('2026-12-14', today)).toBe('in 4 days (Mon 14 Dec)');
    expect(whenDue('2026-12-09', today)).toBe('yesterday (Wed 9 Dec)');
    expect(whenDue('2026-12-07', today)).toBe('3 days ago (Mon 7 Dec)');
  });

  test('a question’s standing before it is asked', () => {
    const state = studiedState();
    expect(describeProgress(state.questions['3'], today)).toBe('Box 1, due 9 days ago (Tue 1 Dec)');
    expect(describeProgress(state.questions['9'], today)).toBe(
      'Box 2, next due in 10 days (Sun 20 Dec)',
    );
    expect(describeProgress({}, today)).toBe('Not graded yet');
  });

  test('grades are counted and the missed ones listed in order', () => {
    const at = { box: 1, due: '2026-12-11' };
    const results = [
      { number: 5, grade: 'missed', schedule: at },
      { number: 2, grade: 'knew', schedule: at },
      { number: 9, grade: 'missed', schedule: at },
      { number: 1, grade: 'shaky', schedule: at },
    ] as const;
    expect(countGrades(results)).toEqual({ knew: 1, shaky: 1, missed: 2 });
    expect(missedNumbers(results)).toEqual([5, 9]);
  });
});

describe('resuming a session after a reload', () => {
  const numbers = [5, 2, 9];
  const at = { box: 2, due: '2026-12-03' };
  const graded = [
    { number: 5, grade: 'knew', schedule: at },
    { number: 2, grade: 'missed', schedule: { box: 1, due: '2026-12-02' } },
  ];

  test('grades given in order are read back; the key names the session', () => {
    expect(parseSessionProgress(JSON.stringify(graded), numbers)).toEqual(graded);
    expect(parseSessionProgress(JSON.stringify(graded.slice(0, 1)), numbers)).toEqual(
      graded.slice(0, 1),
    );
    expect(sessionProgressKey(numbers)).toBe('practice-progress:5.2.9');
    expect(sessionProgressKey([2, 5, 9])).not.toBe(sessionProgressKey(numbers));
  });

  test('nothing saved, a finished session, another session or malformed data start afresh', () => {
    const third = { number: 9, grade: 'shaky', schedule: at };
    for (const text of [
      null,
      '',
      '{',
      '[]',
      '{"number":5}',
      JSON.stringify([...graded, third]),
      JSON.stringify([graded[1]]),
      JSON.stringify([{ ...graded[0], grade: 'perfect' }]),
      JSON.stringify([{ ...graded[0], schedule: { box: 2, due: 'soon' } }]),
      JSON.stringify([{ ...graded[0], schedule: null }]),
      JSON.stringify([null]),
    ])
      expect(parseSessionProgress(text, numbers), String(text)).toBeUndefined();
  });
});
