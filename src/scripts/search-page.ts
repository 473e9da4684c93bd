/**
 * The search page's island. Pagefind (its script, WebAssembly and index) is fetched only once
 * the reader searches: on a query in the URL, on focusing the box, or on choosing a filter.
 */
import { parseExcerpt } from '../utils/search-excerpt';

interface PagefindResultData {
  url: string;
  excerpt: string;
  meta: Record<string, string | undefined>;
  filters: Record<string, string[] | undefined>;
}

interface PagefindResult {
  id: string;
  data(): Promise<PagefindResultData>;
}

interface Pagefind {
  options(options: Record<string, unknown>): Promise<void>;
  search(
    query: string | null,
    options?: { filters?: Record<string, string> },
  ): Promise<{ results: PagefindResult[] } | null>;
}

/** Results are shown a page at a time: each one costs a fragment download (about 5-10 KB). */
const pageSize = 5;
/** Typing faster than this runs one search, not one per keystroke. */
const debounceMs = 120;

export function startSearchPage(): void {
  const form = document.querySelector<HTMLFormElement>('[data-search-form]');
  const status = document.querySelector<HTMLElement>('[data-search-status]');
  const list = document.querySelector<HTMLOListElement>('[data-search-results]');
  const more = document.querySelector<HTMLButtonElement>('[data-search-more]');
  if (!form || !status || !list || !more) return;
  const input = form.elements.namedItem('q') as HTMLInputElement;
  const topic = form.elements.namedItem('topic') as HTMLSelectElement;
  const difficulty = form.elements.namedItem('difficulty') as HTMLSelectElement;

  if (import.meta.env.DEV) {
    input.placeholder = 'Search needs a build';
    return;
  }

  let pagefind: Promise<Pagefind> | undefined;
  const loadPagefind = () => {
    pagefind ??= import(/* @vite-ignore */ form.dataset.pagefindUrl!).then(
      async (module: Pagefind) => {
        // No worker: searching 75 pages takes milliseconds on the main thread, and the
        // worker's script would add about 12 KB to the first search.
        await module.options({ baseUrl: form.dataset.base, excerptLength: 24, noWorker: true });
        return module;
      },
    );
    return pagefind;
  };

  // Results from an older query must never replace those of a newer one.
  let latest = 0;
  let pending: PagefindResult[] = [];
  let total = 0;
  let query = '';

  const showNextPage = async (ticket: number) => {
    const page = pending.slice(0, pageSize);
    pending = pending.slice(pageSize);
    const results = await Promise.all(page.map((result) => result.data()));
    if (ticket !== latest) return;
    list.append(...results.map(renderResult));
    more.hidden = pending.length === 0;
    status.textContent = describe(total, list.children.length, query);
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
      status.textContent = 'Type a word or phrase to search the answers.';
      return;
    }
    try {
      const search = await (await loadPagefind()).search(query || null, { filters });
      if (ticket !== latest) return;
      pending = search?.results ?? [];
      total = pending.length;
      list.replaceChildren();
      await showNextPage(ticket);
    } catch (error) {
      if (ticket !== latest) return;
      status.textContent = 'Search could not load. Check your connection and reload the page.';
      console.warn(error);
    }
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  const runSoon = () => {
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
  input.addEventListener('focus', () => void loadPagefind(), { once: true });
  topic.addEventListener('change', () => void run());
  difficulty.addEventListener('change', () => void run());
  more.addEventListener('click', () => {
    const first = list.children.length;
    void showNextPage(latest).then(() => list.querySelectorAll('a')[first]?.focus());
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

function renderResult(data: PagefindResultData): HTMLLIElement {
  const item = document.createElement('li');
  const link = document.createElement('a');
  link.className = 'search-result__title';
  link.href = data.url;
  const title = data.meta.title ?? data.url;
  link.textContent = data.meta.number ? `${data.meta.number}. ${title}` : title;
  const meta = document.createElement('p');
  meta.className = 'search-result__meta';
  meta.textContent = [data.filters.topic?.[0], data.filters.difficulty?.[0]]
    .filter(Boolean)
    .join(' · ');
  const excerpt = document.createElement('p');
  excerpt.className = 'search-result__excerpt';
  excerpt.append(
    ...parseExcerpt(data.excerpt).map((part) => {
      if (!part.highlighted) return document.createTextNode(part.text);
      const mark = document.createElement('mark');
      mark.textContent = part.text;
      return mark;
    }),
  );
  item.append(link, meta, excerpt);
  return item;
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
