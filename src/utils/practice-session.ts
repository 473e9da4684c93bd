/**
 * Practice sessions: which questions to draw, in what order, and how a session travels in a URL.
 * Pure: the practice island reads the page, the URL and local storage; this module decides.
 * A drawn session is written into the URL as its explicit list of question numbers, so a shared
 * link gives the same questions in the same order on any browser, whatever its progress.
 */
import { mulberry32 } from './seeded-random';
import { firstBox, grades, isDue, isIsoDate, lastBox, type Grade, type Schedule } from './leitner';
import { daysBetween, describeReviewDate, shortDate } from './review-date';
import { progressOf, scheduleOf, type QuestionProgress, type StudyState } from './study-state';

/** What the drawing needs to know about each published question. */
export interface PracticeQuestion {
  number: number;
  /** A topic id from src/data/topics.ts. */
  topic: string;
  /** A difficulty id from src/data/difficulties.ts. */
  difficulty: string;
}

export const practiceSources = ['all', 'due', 'bookmarked', 'unstudied'] as const;
/** Where a session draws from: every question, graded ones now due, bookmarks, or new ones. */
export type PracticeSource = (typeof practiceSources)[number];

export const anyTopic = 'all';
export const anyDifficulty = 'any';
/** The sizes the form offers; a URL may ask for any whole number up to `maxCount`. */
export const sessionSizes = ['5', '10', '20', 'all'] as const;
export const maxCount = 500;

export interface DrawOptions {
  from: PracticeSource;
  /** A topic id, or `anyTopic`. */
  topic: string;
  /** A difficulty id, or `anyDifficulty`. */
  difficulty: string;
  /** At most this many questions; `all` for every match. */
  count: number | 'all';
}

export const defaultDrawOptions: DrawOptions = {
  from: 'all',
  topic: anyTopic,
  difficulty: anyDifficulty,
  count: 10,
};

/** The form's parameter names; a URL with any of them asks for a draw. */
const drawParams = ['from', 'topic', 'difficulty', 'count'] as const;
export const sessionParam = 'session';

export function isDrawRequest(params: URLSearchParams): boolean {
  return drawParams.some((name) => params.has(name));
}

/** A parameter value as it may appear in a message: shortened, so a hostile URL stays short. */
export function quoteValue(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

export type DrawOptionsResult =
  { ok: true; options: DrawOptions } | { ok: false; errors: string[]; options: DrawOptions };

/**
 * Reads the draw form's parameters; a missing one takes its default. Every bad value is named,
 * and `options` keeps the good ones so the form can show them again.
 */
export function parseDrawOptions(
  params: URLSearchParams,
  known: { topics: readonly string[]; difficulties: readonly string[] },
): DrawOptionsResult {
  const options = { ...defaultDrawOptions };
  const errors: string[] = [];
  const from = params.get('from');
  if (from !== null) {
    if ((practiceSources as readonly string[]).includes(from))
      options.from = from as PracticeSource;
    else errors.push(`"from" is ${quoteValue(from)}; choose ${practiceSources.join(', ')}.`);
  }
  const topic = params.get('topic');
  if (topic !== null) {
    if (topic === anyTopic || known.topics.includes(topic)) options.topic = topic;
    else errors.push(`There is no topic ${quoteValue(topic)}.`);
  }
  const difficulty = params.get('difficulty');
  if (difficulty !== null) {
    if (difficulty === anyDifficulty || known.difficulties.includes(difficulty))
      options.difficulty = difficulty;
    else
      errors.push(
        `"difficulty" is ${quoteValue(difficulty)}; choose ${[anyDifficulty, ...known.difficulties].join(', ')}.`,
      );
  }
  const count = params.get('count');
  if (count !== null) {
    if (count === 'all') options.count = 'all';
    else if (/^[1-9]\d{0,2}$/.test(count) && Number(count) <= maxCount)
      options.count = Number(count);
    else
      errors.push(`"count" is ${quoteValue(count)}; give a number from 1 to ${maxCount}, or all.`);
  }
  return errors.length > 0 ? { ok: false, errors, options } : { ok: true, options };
}

/** The query string that asks for a draw (for links that suggest another choice). */
export function drawSearch(options: Partial<DrawOptions>): string {
  const params = new URLSearchParams();
  for (const name of drawParams) {
    const value = options[name];
    if (value !== undefined) params.set(name, String(value));
  }
  return `?${params}`;
}

/** A Fisher-Yates shuffle driven by the seed: the same seed gives the same order. */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const random = mulberry32(seed);
  const shuffled = [...items];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  return shuffled;
}

function matchesSource(progress: QuestionProgress, from: PracticeSource, today: string): boolean {
  if (from === 'due') return isDue(scheduleOf(progress), today);
  if (from === 'bookmarked') return progress.bookmarked === true;
  if (from === 'unstudied') return !progress.studied && progress.box === undefined;
  return true;
}

/** The published questions that match a topic and difficulty, ignoring the reader's progress. */
export function matchingQuestions(
  questions: readonly PracticeQuestion[],
  options: Pick<DrawOptions, 'topic' | 'difficulty'>,
): PracticeQuestion[] {
  return questions.filter(
    (question) =>
      (options.topic === anyTopic || question.topic === options.topic) &&
      (options.difficulty === anyDifficulty || question.difficulty === options.difficulty),
  );
}

/**
 * Draws a session: the matching questions, shuffled by the seed; due questions come most overdue
 * first (the seed only orders those due on the same day). Returns question numbers in order.
 */
export function drawSession(
  questions: readonly PracticeQuestion[],
  state: StudyState,
  today: string,
  options: DrawOptions,
  seed: number,
): number[] {
  const pool = matchingQuestions(questions, options).filter((question) =>
    matchesSource(progressOf(state, question.number), options.from, today),
  );
  const shuffled = seededShuffle(pool, seed);
  if (options.from === 'due') {
    const dueOf = (question: PracticeQuestion) => progressOf(state, question.number).due ?? '';
    shuffled.sort((a, b) => (dueOf(a) < dueOf(b) ? -1 : dueOf(a) > dueOf(b) ? 1 : 0));
  }
  const numbers = shuffled.map((question) => question.number);
  return options.count === 'all' ? numbers : numbers.slice(0, options.count);
}

/**
 * Why a draw came back empty, in a sentence the page shows with links to other choices.
 */
export function describeEmptyDraw(
  questions: readonly PracticeQuestion[],
  state: StudyState,
  today: string,
  options: DrawOptions,
): string {
  const matching = matchingQuestions(questions, options);
  if (matching.length === 0) return 'No published question has this topic and difficulty.';
  const some = options.topic === anyTopic && options.difficulty === anyDifficulty ? '' : ' here';
  if (options.from === 'bookmarked')
    return `You have not bookmarked any question${some} yet: bookmark questions on their pages.`;
  if (options.from === 'unstudied')
    return `You have studied or graded every question${some}. Well done.`;
  const upcoming = matching
    .map((question) => progressOf(state, question.number).due)
    .filter((due): due is string => due !== undefined && due > today)
    .sort();
  if (upcoming.length === 0)
    return `Nothing is due${some}: questions become due once you have graded them in a session.`;
  return `Nothing is due${some} today. The next question comes back ${whenDue(upcoming[0], today)}.`;
}

/** When a due date falls, said plainly: "today", "tomorrow (Fri 11 Dec)", "3 days ago (…)". */
export function whenDue(due: string, today: string): string {
  const days = daysBetween(today, due);
  if (days >= 0) return describeReviewDate(due, today);
  return `${days === -1 ? 'yesterday' : `${-days} days ago`} (${shortDate(due)})`;
}

/** How a question stands before it is asked: its box and due date, or that it is new. */
export function describeProgress(progress: QuestionProgress, today: string): string {
  const planned = scheduleOf(progress);
  if (!planned) return 'Not graded yet';
  const due = daysBetween(today, planned.due) <= 0 ? 'due' : 'next due';
  return `Box ${planned.box}, ${due} ${whenDue(planned.due, today)}`;
}

/** When a question comes back after grading, e.g. "box 3, back in 4 days (2026-12-05)". */
export function describeSchedule(planned: Schedule, today: string): string {
  return `box ${planned.box}, back ${whenDue(planned.due, today)}`;
}

/** The session's list written for a URL: question numbers joined by dots. */
export function encodeSession(numbers: readonly number[]): string {
  return numbers.join('.');
}

/** The query string of a session (appended to `practicePath()`). */
export function sessionSearch(numbers: readonly number[]): string {
  return `?${sessionParam}=${encodeSession(numbers)}`;
}

export type SessionResult = { ok: true; numbers: number[] } | { ok: false; error: string };

/** Longest `session` value worth reading; a valid list of every question is far shorter. */
const maxSessionChars = 4096;

/**
 * Reads a shared session: question numbers joined by dots, each a published question, none twice.
 * The first problem is reported in a sentence the page can show.
 */
export function parseSession(value: string, known: readonly number[]): SessionResult {
  const text = value.trim();
  if (text === '') return { ok: false, error: 'The session link holds no question numbers.' };
  if (text.length > maxSessionChars)
    return { ok: false, error: `The session link is too long (${text.length} characters).` };
  const parts = text.split('.');
  if (parts.length > known.length)
    return {
      ok: false,
      error: `The session link is too long: it lists ${parts.length} questions and the site has ${known.length}.`,
    };
  const numbers: number[] = [];
  for (const part of parts) {
    if (!/^[1-9]\d{0,3}$/.test(part))
      return {
        ok: false,
        error:
          part === ''
            ? 'The session link has an empty place between its dots.'
            : `${quoteValue(part)} in the session link is not a question number.`,
      };
    const number = Number(part);
    if (!known.includes(number))
      return {
        ok: false,
        error: `The session link names question ${number}, which is not published.`,
      };
    if (numbers.includes(number))
      return { ok: false, error: `The session link lists question ${number} twice.` };
    numbers.push(number);
  }
  return { ok: true, numbers };
}

/** One graded question of a session. */
export interface SessionResultEntry {
  number: number;
  grade: Grade;
  schedule: Schedule;
}

/** How many questions got each grade. */
export function countGrades(results: readonly SessionResultEntry[]): Record<Grade, number> {
  const counts: Record<Grade, number> = { knew: 0, shaky: 0, missed: 0 };
  for (const result of results) counts[result.grade] += 1;
  return counts;
}

/** The questions to practise again after a session, in the order they were asked. */
export function missedNumbers(results: readonly SessionResultEntry[]): number[] {
  return results.filter((result) => result.grade === 'missed').map((result) => result.number);
}

/** Where a tab keeps how far it got in a session, so a reload resumes instead of re-grading. */
export function sessionProgressKey(numbers: readonly number[]): string {
  return `practice-progress:${encodeSession(numbers)}`;
}

const isSchedule = (value: unknown): value is Schedule =>
  typeof value === 'object' &&
  value !== null &&
  Number.isInteger((value as Schedule).box) &&
  (value as Schedule).box >= firstBox &&
  (value as Schedule).box <= lastBox &&
  typeof (value as Schedule).due === 'string' &&
  isIsoDate((value as Schedule).due);

/**
 * The grades already given in this session, read back from `sessionProgressKey`: undefined
 * unless they are well formed, follow the session's questions in order and leave at least one
 * question to ask (a finished session starts again).
 */
export function parseSessionProgress(
  text: string | null,
  numbers: readonly number[],
): SessionResultEntry[] | undefined {
  if (text === null) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length === 0 || value.length >= numbers.length)
    return undefined;
  const valid = value.every(
    (entry: Partial<SessionResultEntry>, at) =>
      typeof entry === 'object' &&
      entry !== null &&
      entry.number === numbers[at] &&
      (grades as readonly unknown[]).includes(entry.grade) &&
      isSchedule(entry.schedule),
  );
  return valid ? (value as SessionResultEntry[]) : undefined;
}
