/**
 * The browser side of study progress: reads and writes local storage, and tells every part of
 * the page (and other tabs) when it changes. Shared by the study islands.
 */
import {
  emptyStudyState,
  parseStudyState,
  studyStorageKey,
  type StudyState,
} from '../utils/study-state';

const changeEvent = 'study-state-change';

/** The reader's progress; empty when storage is unavailable or holds something unreadable. */
export function loadStudyState(): StudyState {
  let text: string | null = null;
  try {
    text = localStorage.getItem(studyStorageKey);
  } catch {
    return emptyStudyState();
  }
  if (text === null) return emptyStudyState();
  const parsed = parseStudyState(text);
  if (parsed.ok) return parsed.state;
  // Keep what could not be read rather than overwrite it on the next save.
  try {
    localStorage.setItem(`${studyStorageKey}:unreadable`, text);
  } catch {
    // Storage full or blocked: nothing more to keep.
  }
  console.warn(
    `Study progress in local storage could not be read (${parsed.error}); starting afresh.`,
  );
  return emptyStudyState();
}

/** Saves progress; false when the browser refuses (private mode, storage full). */
export function saveStudyState(state: StudyState): boolean {
  let saved = true;
  try {
    localStorage.setItem(studyStorageKey, JSON.stringify(state));
  } catch {
    saved = false;
  }
  document.dispatchEvent(new CustomEvent(changeEvent));
  return saved;
}

/** Calls back whenever progress changes in this page or in another tab. */
export function onStudyStateChange(callback: (state: StudyState) => void): void {
  document.addEventListener(changeEvent, () => callback(loadStudyState()));
  window.addEventListener('storage', (event) => {
    if (event.key === studyStorageKey || event.key === null) callback(loadStudyState());
  });
}
