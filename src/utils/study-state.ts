/**
 * What a reader's study progress is, kept in their browser and exported to a file: per question,
 * whether it is studied or bookmarked, and its Leitner schedule. Pure: the islands read and
 * write local storage; this module validates, updates, merges and counts.
 */
import { grades, isIsoDate, lastBox, schedule, isDue, type Grade, type Schedule } from './leitner';

/** One question's progress; absent fields mean "not yet". */
export interface QuestionProgress {
  /** The reader marked the question as studied. */
  studied?: boolean;
  /** The reader bookmarked the question. */
  bookmarked?: boolean;
  /** Leitner box, 1 to 5, once the question has been graded. */
  box?: number;
  /** When the question is next due (YYYY-MM-DD), once graded. */
  due?: string;
  /** The last self-grade. */
  lastGrade?: Grade;
  /** The date of the last self-grade (YYYY-MM-DD). */
  lastReviewed?: string;
}

export interface StudyState {
  version: 1;
  /** Keyed by question number, as a string (JSON object keys). */
  questions: Record<string, QuestionProgress>;
}

/** The local-storage key, and the name of the exported file's format. */
export const studyStorageKey = 'genai-interview-guide:study';
export const studyFileFormat = 'genai-interview-guide-progress';

export function emptyStudyState(): StudyState {
  return { version: 1, questions: {} };
}

export type ParseResult = { ok: true; state: StudyState } | { ok: false; error: string };

const fieldCheckers: Record<keyof QuestionProgress, (value: unknown) => string | undefined> = {
  studied: (value) => (typeof value === 'boolean' ? undefined : 'must be true or false'),
  bookmarked: (value) => (typeof value === 'boolean' ? undefined : 'must be true or false'),
  box: (value) =>
    Number.isInteger(value) && (value as number) >= 1 && (value as number) <= lastBox
      ? undefined
      : `must be a whole number from 1 to ${lastBox}`,
  due: (value) =>
    typeof value === 'string' && isIsoDate(value) ? undefined : 'must be a date like 2026-12-01',
  lastGrade: (value) =>
    grades.includes(value as Grade) ? undefined : `must be one of ${grades.join(', ')}`,
  lastReviewed: (value) =>
    typeof value === 'string' && isIsoDate(value) ? undefined : 'must be a date like 2026-12-01',
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads an exported file (or what local storage holds). Every problem is reported with the
 * field it is in; `knownNumbers` rejects questions the site does not have.
 */
export function parseStudyState(text: string, knownNumbers?: readonly number[]): ParseResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, error: 'The file is not JSON. Choose a file exported from this site.' };
  }
  if (!isRecord(data)) return { ok: false, error: 'The file does not hold a progress object.' };
  if (data.format !== undefined && data.format !== studyFileFormat)
    return { ok: false, error: `"format" is "${String(data.format)}", not ${studyFileFormat}.` };
  if (data.version !== 1)
    return {
      ok: false,
      error: `"version" must be 1; this file has ${JSON.stringify(data.version)}.`,
    };
  if (!isRecord(data.questions)) return { ok: false, error: '"questions" must be an object.' };
  const questions: Record<string, QuestionProgress> = {};
  for (const [key, entry] of Object.entries(data.questions)) {
    const number = Number(key);
    if (!/^\d+$/.test(key) || (knownNumbers && !knownNumbers.includes(number)))
      return { ok: false, error: `questions["${key}"]: there is no question ${key} on this site.` };
    if (!isRecord(entry)) return { ok: false, error: `questions["${key}"] must be an object.` };
    const progress: QuestionProgress = {};
    for (const [field, value] of Object.entries(entry)) {
      const check = fieldCheckers[field as keyof QuestionProgress];
      if (!check) return { ok: false, error: `questions["${key}"].${field} is not a known field.` };
      const problem = check(value);
      if (problem) return { ok: false, error: `questions["${key}"].${field} ${problem}.` };
      Object.assign(progress, { [field]: value });
    }
    if ((progress.box === undefined) !== (progress.due === undefined))
      return { ok: false, error: `questions["${key}"] needs both box and due, or neither.` };
    questions[String(number)] = progress;
  }
  return { ok: true, state: { version: 1, questions } };
}

/** The file a reader exports: the state plus the format's name and when it was written. */
export function serializeStudyState(state: StudyState, exportedAt?: Date): string {
  const file = {
    format: studyFileFormat,
    version: state.version,
    ...(exportedAt ? { exportedAt: exportedAt.toISOString() } : {}),
    questions: state.questions,
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** A question's progress, empty when the reader has not touched it. */
export function progressOf(state: StudyState, number: number): QuestionProgress {
  return state.questions[String(number)] ?? {};
}

function withProgress(state: StudyState, number: number, progress: QuestionProgress): StudyState {
  const questions = { ...state.questions };
  const cleaned = Object.fromEntries(
    Object.entries(progress).filter(([, value]) => value !== undefined && value !== false),
  );
  if (Object.keys(cleaned).length === 0) delete questions[String(number)];
  else questions[String(number)] = cleaned;
  return { version: 1, questions };
}

/** A question's Leitner schedule, when it has been graded. */
export function scheduleOf(progress: QuestionProgress): Schedule | undefined {
  return progress.box !== undefined && progress.due !== undefined
    ? { box: progress.box, due: progress.due }
    : undefined;
}

/** Marks or unmarks a question as studied or bookmarked. */
export function setFlag(
  state: StudyState,
  number: number,
  flag: 'studied' | 'bookmarked',
  value: boolean,
): StudyState {
  return withProgress(state, number, { ...progressOf(state, number), [flag]: value });
}

/** Records a self-grade: the question moves box and gets its next due date. */
export function recordGrade(
  state: StudyState,
  number: number,
  grade: Grade,
  today: string,
): StudyState {
  const current = progressOf(state, number);
  const next = schedule(scheduleOf(current), grade, today);
  return withProgress(state, number, {
    ...current,
    box: next.box,
    due: next.due,
    lastGrade: grade,
    lastReviewed: today,
  });
}

/**
 * Imports a file into what the browser already holds without losing either side: a flag set
 * on either side stays set, and each question keeps the schedule of its latest review.
 */
export function mergeStudyStates(current: StudyState, imported: StudyState): StudyState {
  const numbers = new Set([...Object.keys(current.questions), ...Object.keys(imported.questions)]);
  let merged = emptyStudyState();
  for (const key of numbers) {
    const mine = current.questions[key] ?? {};
    const theirs = imported.questions[key] ?? {};
    const theirsIsLater = (theirs.lastReviewed ?? '') > (mine.lastReviewed ?? '');
    const review = theirsIsLater ? theirs : mine;
    merged = withProgress(merged, Number(key), {
      studied: mine.studied || theirs.studied,
      bookmarked: mine.bookmarked || theirs.bookmarked,
      box: review.box ?? mine.box ?? theirs.box,
      due: review.box !== undefined ? review.due : (mine.due ?? theirs.due),
      lastGrade: review.lastGrade ?? mine.lastGrade ?? theirs.lastGrade,
      lastReviewed: review.lastReviewed ?? mine.lastReviewed ?? theirs.lastReviewed,
    });
  }
  return merged;
}

export interface ProgressCounts {
  total: number;
  studied: number;
  bookmarked: number;
  /** Graded questions whose due date has come. */
  due: number;
}

/** Counts over a set of questions (a topic's, or every published one). */
export function countProgress(
  state: StudyState,
  numbers: readonly number[],
  today: string,
): ProgressCounts {
  const counts = { total: numbers.length, studied: 0, bookmarked: 0, due: 0 };
  for (const number of numbers) {
    const progress = progressOf(state, number);
    if (progress.studied) counts.studied += 1;
    if (progress.bookmarked) counts.bookmarked += 1;
    if (isDue(scheduleOf(progress), today)) counts.due += 1;
  }
  return counts;
}
