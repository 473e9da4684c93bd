/**
 * The search page's island. Pagefind (its script, WebAssembly and index) is fetched only once
 * the reader searches: on a query in the URL, on typing, or on choosing a filter.
 */
import { parseExcerpt } from '../utils/search-excerpt';

interface PagefindResultData {
  url: string;
  excerpt: string;
  meta: Record<string, string | undefined>;
  filters: Record<string, string[] | undefined>;
}

interface Pagefind {
  options(options: Record<string, unknown>): Promise<void>;
  search(
    query: string | null,
    options?: { filters?: Record<string, string> },
  ): Promise<{ results: { id: string; data(): Promise<PagefindResultData> }[] } | null>;
}

const maxResults = 20;

export function startSearchPage(): void {
  const form = document.querySelector<HTMLFormElement>('[data-search-form]');
  const status = document.querySelector<HTMLElement>('[data-search-status]');
  const list = document.querySelector<HTMLOListElement>('[data-search-results]');
  if (!form || !status || !list) return;
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
        await module.options({ baseUrl: form.dataset.base, excerptLength: 24 });
        return module;
      },
    );
    return pagefind;
  };

  // Results from an older query must never replace those of a newer one.
  let latest = 0;
  const run = async () => {
    const query = input.value.trim();
    const filters: Record<string, string> = {};
    if (topic.value) filters.topic = topic.value;
    if (difficulty.value) filters.difficulty = difficulty.value;
    syncUrl(query, topic.value, difficulty.value);
    const ticket = ++latest;
    if (!query && Object.keys(filters).length === 0) {
      list.replaceChildren();
      status.textContent = 'Type a word or phrase to search the answers.';
      return;
    }
    try {
      const search = await (await loadPagefind()).search(query || null, { filters });
      const results = await Promise.all(
        (search?.results ?? []).slice(0, maxResults).map((result) => result.data()),
      );
      if (ticket !== latest) return;
      list.replaceChildren(...results.map(renderResult));
      status.textContent = describe(search?.results.length ?? 0, query);
    } catch (error) {
      if (ticket !== latest) return;
      status.textContent = 'Search could not load. Check your connection and reload the page.';
      console.warn(error);
    }
  };

  const params = new URLSearchParams(location.search);
  input.value = params.get('q') ?? '';
  topic.value = optionOrEmpty(topic, params.get('topic'));
  difficulty.value = optionOrEmpty(difficulty, params.get('difficulty'));

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void run();
  });
  input.addEventListener('input', () => void run());
  input.addEventListener('focus', () => void loadPagefind(), { once: true });
  topic.addEventListener('change', () => void run());
  difficulty.addEventListener('change', () => void run());
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

function describe(count: number, query: string): string {
  const shown = count > maxResults ? `, showing the first ${maxResults}` : '';
  const subject = query ? `for “${query}”` : 'with these filters';
  if (count === 0) return `No answers found ${subject}.`;
  return `${count} ${count === 1 ? 'answer' : 'answers'} found ${subject}${shown}.`;
}

function renderResult(data: PagefindResultData): HTMLLIElement {
  const item = document.createElement('li');
  const link = document.createElement('a');
  link.className = 'search-result__title';
  link.href = data.url;
  link.textContent = data.meta.number
    ? `${data.meta.number}. ${data.meta.title ?? data.url}`
    : (data.meta.title ?? data.url);
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
