/**
 * How a review date reads to the reader after they grade themselves: "tomorrow (Wed 2 Dec)",
 * "in 4 days (Sat 5 Dec)". Both dates are local calendar days written YYYY-MM-DD.
 */
import { isIsoDate } from './leitner';

const dayMs = 24 * 60 * 60 * 1000;

/** Whole days from `today` to `date` (negative when it has passed). */
export function daysBetween(today: string, date: string): number {
  if (!isIsoDate(today) || !isIsoDate(date))
    throw new Error(`daysBetween: "${today}" and "${date}" must be YYYY-MM-DD dates`);
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / dayMs);
}

/** A short date with its weekday, the same in every time zone: "Tue 8 Dec". */
export function shortDate(date: string): string {
  return new Date(`${date}T00:00:00Z`).toLocaleDateString('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });
}

/** When a question comes back, relative to today: "today", "tomorrow (…)", "in N days (…)". */
export function describeReviewDate(due: string, today: string): string {
  const days = daysBetween(today, due);
  if (days <= 0) return 'today';
  return `${days === 1 ? 'tomorrow' : `in ${days} days`} (${shortDate(due)})`;
}
