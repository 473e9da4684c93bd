/**
 * A question page's study controls: mark as studied, bookmark, and the self-test (hide the
 * answer, reveal the short answer, then the rest, then grade). The buttons and the panel are
 * static HTML; this only wires them. Loaded as a module script, so it never blocks the first
 * paint, and it starts nothing until the reader asks: the page arrives with the whole answer.
 */
import { loadStudyState, onStudyStateChange, saveStudyState } from '../scripts/study-storage';
import { progressOf, recordGrade, setFlag, type StudyState } from '../utils/study-state';
import { localIsoDate, type Grade } from '../utils/leitner';
import { describeReviewDate } from '../utils/review-date';

type Step = 'question' | 'short' | 'full';

const controls = document.querySelector<HTMLElement>('[data-study-question]');
const panel = document.querySelector<HTMLElement>('[data-self-test-panel]');
const answer = document.querySelector<HTMLElement>('[data-self-test-answer]');
if (controls && panel && answer) wire(controls, panel, answer);

function announce(message: string): void {
  const region = document.querySelector('[data-announcer]');
  if (region) region.textContent = message;
}

const unsaved = 'This browser would not save it (private mode or storage full).';

/** Moves focus to a heading the reader has just revealed, so reading goes on from there. */
function focusHeading(heading: Element | null | undefined): void {
  if (!(heading instanceof HTMLElement)) return;
  heading.tabIndex = -1;
  heading.focus();
}

function wire(controls: HTMLElement, panel: HTMLElement, answer: HTMLElement): void {
  const number = Number(controls.dataset.studyQuestion);
  const root = document.documentElement;
  const toggles = [...controls.querySelectorAll<HTMLButtonElement>('[data-study-toggle]')];
  const testButton = controls.querySelector<HTMLButtonElement>('[data-study-toggle="self-test"]')!;
  const gradeButtons = [...panel.querySelectorAll<HTMLButtonElement>('[data-grade]')];
  const status = panel.querySelector<HTMLElement>('[data-self-test-status]')!;
  const sections = answer.querySelectorAll(':scope > .heading-wrapper--h2');
  // The schedule the question had when this test began: changing one's grade replaces the
  // grade given in this test instead of counting a second review.
  let scheduleBefore: { box?: number; due?: string } = {};

  const showFlags = (state: StudyState) => {
    const progress = progressOf(state, number);
    for (const button of toggles) {
      const flag = button.dataset.studyToggle;
      if (flag === 'studied' || flag === 'bookmarked')
        button.setAttribute('aria-pressed', String(Boolean(progress[flag])));
    }
  };

  const setStep = (step: Step | undefined) => {
    if (step) root.dataset.selfTest = step;
    else delete root.dataset.selfTest;
    panel.hidden = !step;
    testButton.setAttribute('aria-pressed', String(Boolean(step)));
  };

  const start = () => {
    // Between the short answer and the rest: where the reader is when each step comes.
    if (sections[1]) sections[1].before(panel);
    else answer.append(panel);
    const { box, due } = progressOf(loadStudyState(), number);
    scheduleBefore = { box, due };
    for (const button of gradeButtons) button.setAttribute('aria-pressed', 'false');
    status.textContent = '';
    setStep('question');
    focusHeading(panel.querySelector('h2'));
    announce('Test mode: the answer is hidden until you reveal it.');
  };

  const end = (moveFocus: boolean) => {
    setStep(undefined);
    if (moveFocus) testButton.focus();
    announce('Test ended: the whole answer is shown.');
  };

  const grade = (button: HTMLButtonElement) => {
    const today = localIsoDate(new Date());
    const state = loadStudyState();
    const progress = { ...progressOf(state, number), ...scheduleBefore };
    const questions = { ...state.questions, [number]: progress };
    const next = recordGrade({ ...state, questions }, number, button.dataset.grade as Grade, today);
    const saved = saveStudyState(next);
    for (const other of gradeButtons) other.setAttribute('aria-pressed', String(other === button));
    const due = progressOf(next, number).due ?? today;
    status.textContent = saved
      ? `Saved: ${button.textContent?.trim()}. Next review: ${describeReviewDate(due, today)}.`
      : `Not saved. ${unsaved}`;
  };

  controls.addEventListener('click', (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>('[data-study-toggle]');
    const flag = button?.dataset.studyToggle;
    if (flag === 'self-test') {
      if (root.dataset.selfTest) end(false);
      else start();
    } else if (button && (flag === 'studied' || flag === 'bookmarked')) {
      const on = button.getAttribute('aria-pressed') !== 'true';
      if (!saveStudyState(setFlag(loadStudyState(), number, flag, on))) announce(unsaved);
    }
  });

  panel.addEventListener('click', (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>('button');
    if (!button) return;
    const reveal = button.dataset.selfTestReveal;
    if (reveal === 'short') {
      setStep('short');
      focusHeading(answer.querySelector('h2'));
      announce('Short answer shown.');
    } else if (reveal === 'full') {
      setStep('full');
      focusHeading(sections[1]?.querySelector('h2'));
      announce('Full answer shown.');
    } else if (button.dataset.grade) grade(button);
    else if (button.hasAttribute('data-self-test-end')) end(true);
  });

  // A link to a section the test is hiding (a table of contents, another page's link) shows it.
  window.addEventListener('hashchange', () => {
    const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!root.dataset.selfTest || !target || target.getClientRects().length > 0) return;
    end(false);
    target.scrollIntoView();
  });

  showFlags(loadStudyState());
  onStudyStateChange(showFlags);
}
