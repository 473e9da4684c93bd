/**
 * Spaced repetition with Leitner boxes: a question climbs one box when the reader knew it,
 * stays when shaky, and drops to the first box when missed. Each box waits twice as long as
 * the one before it, so well-known questions come back rarely and missed ones tomorrow.
 */

/** How a reader graded themselves on one question. */
export type Grade = 'knew' | 'shaky' | 'missed';

export const grades: readonly Grade[] = ['knew', 'shaky', 'missed'];

/** Days to wait before a question in box N (index N - 1) is due again. */
export const boxIntervalDays = [1, 2, 4, 8, 16] as const;

export const firstBox = 1;
export const lastBox = boxIntervalDays.length;

/** Where a question sits and when it is next due (a local calendar date, YYYY-MM-DD). */
export interface Schedule {
  box: number;
  due: string;
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** Whether a string is a real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  if (!isoDate.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** A YYYY-MM-DD date plus whole days (calendar arithmetic in UTC, so no daylight-saving drift). */
export function addDays(date: string, days: number): string {
  if (!isIsoDate(date)) throw new Error(`addDays: "${date}" is not a YYYY-MM-DD date`);
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + days);
  return next.toISOString().slice(0, 10);
}

/** The reader's local calendar date: a question due "tomorrow" is due after their midnight. */
export function localIsoDate(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The box after a grade: up one when known, the same when shaky, back to the first when missed. */
export function nextBox(box: number | undefined, grade: Grade): number {
  if (box === undefined) return grade === 'knew' ? firstBox + 1 : firstBox;
  if (grade === 'missed') return firstBox;
  if (grade === 'shaky') return box;
  return Math.min(box + 1, lastBox);
}

/** The schedule after grading a question today; `current` is undefined for a new question. */
export function schedule(current: Schedule | undefined, grade: Grade, today: string): Schedule {
  const box = nextBox(current?.box, grade);
  return { box, due: addDays(today, boxIntervalDays[box - 1]) };
}

/** A scheduled question is due on or after its date; a question never graded is not "due". */
export function isDue(current: Schedule | undefined, today: string): boolean {
  return current !== undefined && current.due <= today;
}
