/**
 * The search page's island. Pagefind (its script, WebAssembly and index) and the catalogue are
 * fetched only once the reader searches: on a query in the URL, on focusing the box, or on
 * choosing a filter.
 */
import { createSearchEngine, type SearchHit, type SearchOutcome } from './search-engine';
import { describeMatch, renderHit } from './search-results';

/** Results are shown a page at a time, so a long list stays easy to scan. */
const pageSize = 10;
/** Typing faster than this runs one search, not one per keystroke. */
const debounceMs = 110;

export function startSearchPage(): void {
  const form = document.querySelector<HTMLFormElement>('[data-search-form]');
  const status = document.querySelector<HTMLElement>('[data-search-status]');
  const notice = document.querySelector<HTMLElement>('[data-search-notice]');
  const empty = document.querySelector<HTMLElement>('[data-search-empty]');
  const list = document.querySelector<HTMLOListElement>('[data-search-results]');
  const more = document.querySelector<HTMLButtonElement>('[data-search-more]');
  if (!form || !status || !notice || !empty || !list || !more) return;
  const input = form.elements.namedItem('q') as HTMLInputElement;
  const topic = form.elements.namedItem('topic') as HTMLSelectElement;
  const difficulty = form.elements.namedItem('difficulty') as HTMLSelectElement;

  if (import.meta.env.DEV) {
    input.placeholder = 'Search needs a build';
    return;
  }

  const base = form.dataset.base!;
  const engine = createSearchEngine(form.dataset.pagefindUrl!, form.dataset.pagefindDir!);

  // Results from an older query must never replace those of a newer one.
  let latest = 0;
  let outcome: SearchOutcome | undefined;
  let pending: SearchHit[] = [];
  let query = '';

  const showNextPage = () => {
    if (!outcome) return;
    const page = pending.slice(0, pageSize);
    pending = pending.slice(pageSize);
    list.append(...page.map((hit) => renderHit(hit, base, outcome!.slots, engine)));
    more.hidden = pending.length === 0;
    status.textContent = describe(outcome.hits.length, list.children.length, query);
  };

  const run = async () => {
    query = input.value.trim();
    const filters: Record<string, string> = {};
    if (topic.value) filters.topic = topic.value;
    if (difficulty.value) filters.difficulty = difficulty.value;
    syncUrl(query, topic.value, difficulty.value);
    const ticket = ++latest;
    if (!query && Object.keys(filters).length === 0) {
      list.replaceChildren();
      more.hidden = true;
      notice.hidden = true;
      empty.hidden = true;
      status.textContent = 'Type a word or phrase to search the answers.';
      return;
    }
    try {
      const found = await engine.search(query, filters);
      if (ticket !== latest) return;
      outcome = found;
      pending = found.hits;
      notice.textContent = describeMatch(found);
      notice.hidden = notice.textContent === '';
      empty.hidden = found.hits.length > 0;
      list.replaceChildren();
      showNextPage();
    } catch (error) {
      if (ticket !== latest) return;
      status.textContent = 'Search could not load. Check your connection and reload the page.';
      console.warn(error);
    }
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  const runSoon = () => {
    engine.preload(input.value);
    clearTimeout(timer);
    timer = setTimeout(() => void run(), debounceMs);
  };

  const params = new URLSearchParams(location.search);
  input.value = params.get('q') ?? '';
  topic.value = optionOrEmpty(topic, params.get('topic'));
  difficulty.value = optionOrEmpty(difficulty, params.get('difficulty'));

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(timer);
    void run();
  });
  input.addEventListener('input', runSoon);
  input.addEventListener('focus', () => void engine.load(), { once: true });
  topic.addEventListener('change', () => void run());
  difficulty.addEventListener('change', () => void run());
  more.addEventListener('click', () => {
    const first = list.children.length;
    showNextPage();
    list.querySelectorAll<HTMLAnchorElement>('.search-result__title')[first]?.focus();
  });
  form.addEventListener('keydown', (event) => moveFocus(event, list));
  list.addEventListener('keydown', (event) => moveFocus(event, list));

  if (input.value || topic.value || difficulty.value) void run();
}

function optionOrEmpty(select: HTMLSelectElement, value: string | null): string {
  return [...select.options].some((option) => option.value === value) ? (value ?? '') : '';
}

function syncUrl(query: string, topic: string, difficulty: string): void {
  const params = new URLSearchParams();
  if (query) params.set('q', query);
  if (topic) params.set('topic', topic);
  if (difficulty) params.set('difficulty', difficulty);
  const search = params.toString();
  history.replaceState(null, '', search ? `?${search}` : location.pathname);
}

function describe(count: number, shown: number, query: string): string {
  const subject = query ? `for “${query}”` : 'with these filters';
  if (count === 0) return `No answers found ${subject}.`;
  const showing = shown < count ? `, showing ${shown}` : '';
  return `${count} ${count === 1 ? 'answer' : 'answers'} found ${subject}${showing}.`;
}

/** Arrow keys move between the query box and the result links. */
function moveFocus(event: KeyboardEvent, list: HTMLOListElement): void {
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
  const links = [...list.querySelectorAll<HTMLAnchorElement>('a')];
  const current = links.indexOf(document.activeElement as HTMLAnchorElement);
  const isQuery = (event.target as HTMLElement).matches('[data-search-input]');
  if (!isQuery && current === -1) return;
  event.preventDefault();
  if (event.key === 'ArrowDown') links[Math.min(current + 1, links.length - 1)]?.focus();
  else if (current <= 0) document.querySelector<HTMLInputElement>('[data-search-input]')?.focus();
  else links[current - 1]?.focus();
}
