/**
 * Study progress on the home and topic pages: the studied and bookmark toggles of each listed
 * question, the counts and bars, and (home page) export, import and reset. Everything it
 * touches is static HTML hidden without JavaScript.
 */
import { loadStudyState, onStudyStateChange, saveStudyState } from '../scripts/study-storage';
import {
  countProgress,
  emptyStudyState,
  mergeStudyStates,
  parseStudyState,
  serializeStudyState,
  setFlag,
  type ProgressCounts,
  type QuestionProgress,
  type StudyState,
} from '../utils/study-state';
import { localIsoDate } from '../utils/leitner';

const numbersOf = (list: string | undefined) => (list ? list.split(',').map(Number) : []);
const today = () => localIsoDate(new Date());
const unsaved = 'This browser would not save it (private mode or storage full).';

function announce(message: string): void {
  const region = document.querySelector('[data-announcer]');
  if (region) region.textContent = message;
}

function show(state: StudyState): void {
  const date = today();
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-study-toggle]')) {
    const flag = button.dataset.studyToggle as 'studied' | 'bookmarked';
    const on = Boolean(state.questions[button.dataset.number ?? '']?.[flag]);
    button.setAttribute('aria-pressed', String(on));
  }
  for (const badge of document.querySelectorAll<HTMLElement>('[data-study-due]'))
    badge.hidden = countProgress(state, numbersOf(badge.dataset.studyDue), date).due === 0;
  for (const summary of document.querySelectorAll<HTMLElement>('[data-study-progress]')) {
    const counts = countProgress(state, numbersOf(summary.dataset.studyProgress), date);
    const count = (key: string | undefined) => counts[key as keyof ProgressCounts] ?? 0;
    for (const element of summary.querySelectorAll<HTMLElement>('[data-count]'))
      element.textContent = String(count(element.dataset.count));
    for (const link of summary.querySelectorAll<HTMLElement>('[data-count-link]'))
      link.hidden = count(link.dataset.countLink) === 0;
    const fill = summary.querySelector<HTMLElement>('[data-progress-fill]');
    if (fill) fill.style.width = `${counts.total ? (100 * counts.studied) / counts.total : 0}%`;
  }
}

document.addEventListener('click', (event) => {
  const button = (event.target as Element).closest<HTMLButtonElement>('[data-study-toggle]');
  const flag = button?.dataset.studyToggle;
  if (!button || (flag !== 'studied' && flag !== 'bookmarked')) return;
  const on = button.getAttribute('aria-pressed') !== 'true';
  const next = setFlag(loadStudyState(), Number(button.dataset.number), flag, on);
  if (!saveStudyState(next)) announce(unsaved);
});

const panel = document.querySelector<HTMLElement>('[data-study-panel]');
if (panel) wirePanel(panel);

const fields: (keyof QuestionProgress)[] = [
  'studied',
  'bookmarked',
  'box',
  'due',
  'lastGrade',
  'lastReviewed',
];
const differs = (a: QuestionProgress = {}, b: QuestionProgress = {}) =>
  fields.some((field) => a[field] !== b[field]);
const questionsCount = (n: number) => `${n} question${n === 1 ? '' : 's'}`;

function wirePanel(panel: HTMLElement): void {
  const published = numbersOf(panel.dataset.studyPanel);
  const status = panel.querySelector<HTMLElement>('[data-study-status]')!;
  const input = panel.querySelector<HTMLInputElement>('input[type="file"]')!;
  const reset = panel.querySelector<HTMLButtonElement>('[data-study-reset]')!;
  const confirm = panel.querySelector<HTMLElement>('[role="group"]')!;
  const say = (message: string) => (status.textContent = message);
  const closeConfirm = () => {
    confirm.hidden = true;
    reset.setAttribute('aria-expanded', 'false');
    reset.focus();
  };

  panel.addEventListener('click', (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>('button');
    if (!button) return;
    if (button.hasAttribute('data-study-export')) {
      const state = loadStudyState();
      const name = `genai-interview-progress-${today()}.json`;
      // A Blob URL on a download link is a navigation, which the Content-Security-Policy allows.
      const url = URL.createObjectURL(
        new Blob([serializeStudyState(state, new Date())], { type: 'application/json' }),
      );
      const link = Object.assign(document.createElement('a'), { href: url, download: name });
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      say(`Exported progress for ${questionsCount(Object.keys(state.questions).length)}: ${name}.`);
    } else if (button === reset) {
      confirm.hidden = false;
      reset.setAttribute('aria-expanded', 'true');
      confirm.querySelector<HTMLButtonElement>('[data-study-reset-cancel]')!.focus();
    } else if (button.hasAttribute('data-study-reset-confirm')) {
      const saved = saveStudyState(emptyStudyState());
      closeConfirm();
      say(saved ? 'Progress deleted from this browser.' : `Not deleted. ${unsaved}`);
    } else if (button.hasAttribute('data-study-reset-cancel')) {
      closeConfirm();
      say('Nothing was deleted.');
    }
  });

  input.addEventListener('change', async () => {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    const refuse = (problem: string) =>
      say(`Nothing imported from ${file.name}: ${problem} Your progress is unchanged.`);
    if (file.size > 1_000_000) return refuse('the file is over 1 MB, too big for progress.');
    const parsed = parseStudyState(await file.text(), published);
    if (!parsed.ok) return refuse(parsed.error);
    const current = loadStudyState();
    const merged = mergeStudyStates(current, parsed.state);
    const changed = Object.keys(merged.questions).filter((key) =>
      differs(merged.questions[key], current.questions[key]),
    ).length;
    if (!saveStudyState(merged)) return refuse(unsaved);
    say(
      `Imported progress for ${questionsCount(Object.keys(parsed.state.questions).length)} ` +
        `from ${file.name}; ${questionsCount(changed)} changed here.`,
    );
  });
}

show(loadStudyState());
onStudyStateChange(show);
