/**
 * The header box's island: results as the reader types, under the box. Loaded by the page
 * script when the box is first focused; without JavaScript the box is a plain form that opens
 * the search page. Arrow keys move between the box and the results, Enter opens the focused
 * one (or, from the box, the search page), Escape closes the list.
 */
import { createSearchEngine } from './search-engine';
import { describeMatch, renderHit } from './search-results';

/** The header shows the best few; the search page has them all. */
const shown = 6;
const debounceMs = 110;

export function startHeaderSearch(form: HTMLFormElement): void {
  const input = form.querySelector<HTMLInputElement>('input[name="q"]');
  const popup = form.querySelector<HTMLElement>('[data-search-popup]');
  const status = popup?.querySelector<HTMLElement>('[data-search-popup-status]');
  const list = popup?.querySelector<HTMLOListElement>('[data-search-popup-results]');
  const all = popup?.querySelector<HTMLAnchorElement>('[data-search-popup-all]');
  if (!input || !popup || !status || !list || !all) return;
  const { base, pagefindUrl, pagefindDir } = form.dataset;
  const engine = createSearchEngine(pagefindUrl!, pagefindDir!);
  void engine.load();

  // A plain search input may not carry aria-expanded (it is no combobox): the list's status
  // line is a live region that announces the results instead.
  const open = (isOpen: boolean) => {
    popup.hidden = !isOpen;
  };

  let latest = 0;
  const run = async () => {
    const query = input.value.trim();
    const ticket = ++latest;
    if (!query) {
      list.replaceChildren();
      return open(false);
    }
    try {
      const outcome = await engine.search(query, {});
      if (ticket !== latest) return;
      const hits = outcome.hits.slice(0, shown);
      const count = outcome.hits.length;
      const notice = describeMatch(outcome);
      status.textContent =
        count === 0
          ? `No answers found for “${query}”. ${notice}`
          : `${count} ${count === 1 ? 'answer' : 'answers'} for “${query}”. ${notice}`.trim();
      list.replaceChildren(...hits.map((hit) => renderHit(hit, base!, outcome.slots, engine)));
      all.href = `${form.action}?${new URLSearchParams({ q: query })}`;
      all.textContent =
        count > shown ? `All ${count} results on the search page` : 'Open the search page';
      open(true);
    } catch (error) {
      if (ticket !== latest) return;
      status.textContent = 'Search could not load. Press Enter to open the search page.';
      open(true);
      console.warn(error);
    }
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  input.addEventListener('input', () => {
    engine.preload(input.value);
    clearTimeout(timer);
    timer = setTimeout(() => void run(), debounceMs);
  });
  input.addEventListener('focus', () => {
    if (input.value.trim() && list.childElementCount > 0) open(true);
  });
  form.addEventListener('focusout', (event) => {
    if (!form.contains(event.relatedTarget as Node | null)) open(false);
  });
  form.addEventListener('keydown', (event) => {
    const links = [
      ...popup.querySelectorAll<HTMLAnchorElement>(
        '.search-result__title, [data-search-popup-all]',
      ),
    ];
    const current = links.indexOf(document.activeElement as HTMLAnchorElement);
    if (event.key === 'Escape') {
      open(false);
      input.focus();
    } else if (event.key === 'ArrowDown' && (!popup.hidden || list.childElementCount > 0)) {
      event.preventDefault();
      open(true);
      links[Math.min(current + 1, links.length - 1)]?.focus();
    } else if (event.key === 'ArrowUp' && !popup.hidden) {
      event.preventDefault();
      if (current <= 0) input.focus();
      else links[current - 1]?.focus();
    }
  });
  // The reader may have typed before this script arrived.
  if (input.value.trim()) void run();
}
