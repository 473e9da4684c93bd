/**
 * The practice page: draws a session from the form's parameters (or reads a shared one from the
 * URL), asks one question at a time, reveals its answer taken from the question's own page, and
 * records each self-grade in the reader's Leitner schedule.
 */
import { localIsoDate, type Grade } from '../utils/leitner';
import { progressOf, recordGrade, scheduleOf } from '../utils/study-state';
import { loadStudyState, saveStudyState } from '../scripts/study-storage';
import {
  anyDifficulty,
  anyTopic,
  countGrades,
  describeEmptyDraw,
  describeProgress,
  describeSchedule,
  drawSearch,
  drawSession,
  isDrawRequest,
  missedNumbers,
  parseDrawOptions,
  parseSession,
  parseSessionProgress,
  sessionParam,
  sessionProgressKey,
  sessionSearch,
  type DrawOptions,
  type PracticeQuestion,
  type SessionResultEntry,
} from '../utils/practice-session';

interface QuestionInfo extends PracticeQuestion {
  path: string;
  title: string;
}

/** What the page embeds as JSON (see src/pages/practice.astro). */
interface PracticeData {
  practicePath: string;
  questions: QuestionInfo[];
  topics: Record<string, string>;
  difficulties: Record<string, string>;
}

/** An answer split in two: its short-answer section, and everything else. */
interface Answer {
  short: Element[];
  rest: Element[];
}

const gradeLabels: Record<Grade, string> = { knew: 'Knew it', shaky: 'Shaky', missed: 'Missed it' };
const gradeKeys: Record<string, Grade> = { 1: 'knew', 2: 'shaky', 3: 'missed' };

const today = () => localIsoDate(new Date());

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  className?: string,
): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag);
  if (text !== undefined) created.textContent = text;
  if (className) created.className = className;
  return created;
}

function link(href: string, text: string): HTMLAnchorElement {
  const anchor = element('a', text);
  anchor.href = href;
  return anchor;
}

function announce(message: string): void {
  const region = document.querySelector('[data-announcer]');
  if (region) region.textContent = message;
}

/** The short-answer section and the rest of a question page's answer article. */
function splitAnswer(page: Document, path: string): Answer {
  const article = page.querySelector('article.answer');
  const sections = article ? [...article.children] : [];
  const start = sections.findIndex((child) => child.querySelector('#short-answer'));
  if (start === -1) throw new Error('its page has no short answer');
  const next = sections.findIndex((child, i) => i > start && child.matches('.heading-wrapper--h2'));
  const end = next === -1 ? sections.length : next;
  // In-page links (heading anchors, "see the code below") point at the question's own page.
  for (const anchor of article!.querySelectorAll('a[href^="#"]'))
    anchor.setAttribute('href', path + anchor.getAttribute('href'));
  return {
    short: sections.slice(start, end),
    rest: [...sections.slice(0, start), ...sections.slice(end)],
  };
}

function startPractice(root: HTMLElement): void {
  const part = <T extends HTMLElement = HTMLElement>(name: string) =>
    root.querySelector<T>(`[data-practice-${name}]`)!;
  const data = JSON.parse(part('data').textContent ?? '{}') as PracticeData;
  const byNumber = new Map(data.questions.map((question) => [question.number, question]));
  const [message, form, session, summary] = ['message', 'form', 'session', 'summary'].map(part);
  const [position, last, title, meta, shortBox, fullBox, grades] = [
    'position',
    'last',
    'title',
    'meta',
    'short',
    'full',
    'grades',
  ].map(part);
  const revealShort = part('reveal="short"');
  const revealFull = part('reveal="full"');
  const sessionUrl = (numbers: readonly number[]) =>
    new URL(data.practicePath + sessionSearch(numbers), location.href).href;

  let numbers: number[] = [];
  let index = 0;
  let revealed: 'none' | 'short' | 'full' = 'none';
  const results: SessionResultEntry[] = [];
  const answers = new Map<number, Promise<Answer>>();
  const current = () => byNumber.get(numbers[index])!;

  function showMessage(lines: string[], links: { href: string; text: string }[] = []): void {
    message.replaceChildren(...lines.map((line) => element('p', line)));
    if (links.length > 0) {
      const paragraph = element('p');
      links.forEach((suggestion, i) => {
        if (i > 0) paragraph.append(' · ');
        paragraph.append(link(suggestion.href, suggestion.text));
      });
      message.append(paragraph);
    }
    message.hidden = false;
  }

  function fillForm(options: DrawOptions): void {
    for (const [name, value] of Object.entries(options)) {
      const select = form.querySelector<HTMLSelectElement>(`[name="${name}"]`);
      if (select && [...select.options].some((option) => option.value === String(value)))
        select.value = String(value);
    }
  }

  function answerOf(question: QuestionInfo): Promise<Answer> {
    let answer = answers.get(question.number);
    if (!answer) {
      answer = fetch(question.path)
        .then((response) => {
          if (!response.ok) throw new Error(`the server answered ${response.status}`);
          return response.text();
        })
        .then((html) =>
          splitAnswer(new DOMParser().parseFromString(html, 'text/html'), question.path),
        );
      answers.set(question.number, answer);
      // A failed load is tried again when the reader asks for the answer.
      answer.catch(() => answers.delete(question.number));
    }
    return answer;
  }

  function focusHeadingIn(box: HTMLElement): void {
    const heading = box.querySelector<HTMLElement>('h2, h3') ?? box;
    heading.tabIndex = -1;
    heading.focus();
  }

  function show(at: number, moveFocus: boolean): void {
    index = at;
    revealed = 'none';
    const question = current();
    position.textContent = `Question ${at + 1} of ${numbers.length}`;
    title.textContent = question.title;
    const standing = describeProgress(progressOf(loadStudyState(), question.number), today());
    meta.replaceChildren(
      `Question ${question.number} · ${data.topics[question.topic]} · ` +
        `${data.difficulties[question.difficulty]} · ${standing} · `,
      link(question.path, 'Open its page'),
    );
    shortBox.replaceChildren();
    fullBox.replaceChildren();
    revealShort.hidden = false;
    revealFull.hidden = true;
    grades.hidden = true;
    // Load this answer and the next one while the reader thinks.
    for (const number of numbers.slice(at, at + 2))
      answerOf(byNumber.get(number)!).catch(() => undefined);
    if (moveFocus) title.focus();
  }

  async function reveal(): Promise<void> {
    const question = current();
    if (revealed === 'none') {
      revealed = 'short';
      revealShort.hidden = true;
      grades.hidden = false;
      shortBox.replaceChildren(element('p', 'Loading the answer…'));
      focusHeadingIn(shortBox);
      try {
        const answer = await answerOf(question);
        if (question !== current()) return;
        shortBox.replaceChildren(...answer.short.map((node) => document.importNode(node, true)));
        revealFull.hidden = answer.rest.length === 0;
      } catch (error) {
        if (question !== current()) return;
        const failure = element(
          'p',
          `The answer could not be loaded (${(error as Error).message}). `,
        );
        failure.append(link(question.path, 'Read it on the question page'), '.');
        shortBox.replaceChildren(failure);
      }
      focusHeadingIn(shortBox);
    } else if (revealed === 'short' && !revealFull.hidden) {
      revealed = 'full';
      revealFull.hidden = true;
      const answer = await answerOf(question);
      fullBox.replaceChildren(...answer.rest.map((node) => document.importNode(node, true)));
      focusHeadingIn(fullBox);
    }
  }

  function grade(given: Grade): void {
    const question = current();
    const day = today();
    const state = recordGrade(loadStudyState(), question.number, given, day);
    const saved = saveStudyState(state);
    const planned = scheduleOf(progressOf(state, question.number))!;
    results.push({ number: question.number, grade: given, schedule: planned });
    rememberProgress();
    last.textContent =
      `Question ${question.number}: ${gradeLabels[given]}, so it goes to ` +
      `${describeSchedule(planned, day)}.` +
      (saved ? '' : ' This browser did not save it (private browsing or full storage).');
    last.hidden = false;
    announce(last.textContent);
    if (index + 1 < numbers.length) show(index + 1, true);
    else finish();
  }

  /** Keeps the grades given so far for this tab, so a reload resumes rather than re-grades. */
  function rememberProgress(): void {
    try {
      const key = sessionProgressKey(numbers);
      if (results.length < numbers.length) sessionStorage.setItem(key, JSON.stringify(results));
      else sessionStorage.removeItem(key);
    } catch {
      // Storage blocked: a reload starts the session again, as before.
    }
  }

  function finish(): void {
    session.hidden = true;
    summary.hidden = false;
    const counts = countGrades(results);
    for (const [given, count] of Object.entries(counts))
      part(`count="${given}"`).textContent = String(count);
    const day = today();
    part('results').replaceChildren(
      ...results.map((result) => {
        const question = byNumber.get(result.number)!;
        const item = element('li');
        item.append(
          link(question.path, question.title),
          element(
            'span',
            `Question ${question.number} · ${gradeLabels[result.grade]}: ` +
              describeSchedule(result.schedule, day),
            'practice-summary__when',
          ),
        );
        return item;
      }),
    );
    const missed = missedNumbers(results);
    const again = part<HTMLAnchorElement>('again');
    again.hidden = missed.length === 0;
    if (missed.length > 0) again.href = sessionUrl(missed);
    announce(
      `Session complete: ${counts.knew} known, ${counts.shaky} shaky, ${counts.missed} missed.`,
    );
    part('summary-title').focus();
  }

  function begin(drawn: number[]): void {
    numbers = drawn;
    form.hidden = true;
    session.hidden = false;
    part('copy').dataset.copyValue = sessionUrl(drawn);
    let saved: string | null = null;
    try {
      saved = sessionStorage.getItem(sessionProgressKey(drawn));
    } catch {
      // Storage blocked: start at the first question.
    }
    const done = parseSessionProgress(saved, drawn) ?? [];
    results.push(...done);
    if (done.length > 0) {
      last.textContent = `Resumed: ${done.length} of ${drawn.length} already graded in this tab.`;
      last.hidden = false;
    }
    show(done.length, false);
  }

  revealShort.addEventListener('click', () => void reveal());
  revealFull.addEventListener('click', () => void reveal());
  grades.addEventListener('click', (event) => {
    const button = (event.target as Element).closest<HTMLElement>('[data-practice-grade]');
    if (button) grade(button.dataset.practiceGrade as Grade);
  });
  document.addEventListener('keydown', (event) => {
    const target = event.target instanceof HTMLElement ? event.target : null;
    if (
      session.hidden ||
      event.defaultPrevented ||
      event.ctrlKey ||
      event.metaKey ||
      event.altKey ||
      target?.isContentEditable ||
      target?.closest('input, textarea, select') ||
      document.querySelector('dialog[open]')
    )
      return;
    const canReveal = revealed === 'none' || (revealed === 'short' && !revealFull.hidden);
    // Space still presses a focused button or scrolls a focused code block.
    if (event.key === ' ' && canReveal && !target?.closest('a, button, [tabindex="0"]')) {
      event.preventDefault();
      void reveal();
    } else if (gradeKeys[event.key] && !grades.hidden) {
      event.preventDefault();
      grade(gradeKeys[event.key]);
    }
  });

  const params = new URLSearchParams(location.search);
  const shared = params.get(sessionParam);
  if (shared !== null) {
    const parsed = parseSession(shared, [...byNumber.keys()]);
    if (parsed.ok) begin(parsed.numbers);
    else showMessage([`This session link cannot be used. ${parsed.error}`, 'Draw a new session:']);
  } else if (isDrawRequest(params)) {
    const known = {
      topics: Object.keys(data.topics),
      difficulties: Object.keys(data.difficulties),
    };
    const parsed = parseDrawOptions(params, known);
    fillForm(parsed.options);
    if (!parsed.ok) {
      showMessage(['These practice settings cannot be used:', ...parsed.errors, 'Choose again:']);
      return;
    }
    const state = loadStudyState();
    const seed = crypto.getRandomValues(new Uint32Array(1))[0];
    const drawn = drawSession(data.questions, state, today(), parsed.options, seed);
    if (drawn.length > 0) {
      history.replaceState(null, '', data.practicePath + sessionSearch(drawn));
      begin(drawn);
      return;
    }
    const { from, topic, difficulty } = parsed.options;
    const filtered = topic !== anyTopic || difficulty !== anyDifficulty;
    const suggestions = [
      from !== 'all' && {
        search: drawSearch({ ...parsed.options, from: 'all' }),
        text: 'Draw from all questions instead',
      },
      filtered && {
        search: drawSearch({ from: 'all' }),
        text: 'Draw from every topic and difficulty',
      },
    ].filter((suggestion) => suggestion !== false);
    showMessage(
      [describeEmptyDraw(data.questions, state, today(), parsed.options)],
      suggestions.map(({ search, text }) => ({ href: data.practicePath + search, text })),
    );
  }
}

const root = document.querySelector<HTMLElement>('[data-practice]');
if (root) startPractice(root);
