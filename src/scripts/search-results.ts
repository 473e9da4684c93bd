/**
 * Renders one search result: number and title (a link to the question), topic and difficulty,
 * the section where the matches are (a link to that heading), and the summary with the query's
 * words marked. Everything goes in as text, never as HTML.
 */
import type { SearchEngine, SearchHit, SearchOutcome } from './search-engine';
import { highlightWords } from '../utils/search-excerpt';
import type { QuerySlot } from '../utils/search-query';
import { joinBase } from '../utils/paths';

export function renderHit(
  hit: SearchHit,
  base: string,
  slots: readonly QuerySlot[],
  engine: SearchEngine,
): HTMLLIElement {
  const { entry } = hit;
  const url = joinBase(base, entry.url);
  const item = document.createElement('li');
  const link = document.createElement('a');
  link.className = 'search-result__title';
  link.href = url;
  link.textContent = `${entry.number}. ${entry.title}`;
  const meta = document.createElement('p');
  meta.className = 'search-result__meta';
  meta.textContent = `${entry.topic} · ${entry.difficulty}`;
  item.append(link, meta);
  // The section comes from a small file per page, fetched once the result is on screen.
  whenVisible(item, () =>
    engine.section(hit).then(
      (section) => {
        if (!section) return;
        const where = document.createElement('p');
        where.className = 'search-result__section';
        const sectionLink = document.createElement('a');
        sectionLink.href = `${url}#${section.id}`;
        sectionLink.textContent = section.text;
        where.append('Section: ', sectionLink);
        meta.after(where);
      },
      (error: unknown) => console.warn(error),
    ),
  );
  const excerpt = document.createElement('p');
  excerpt.className = 'search-result__excerpt';
  excerpt.append(
    ...highlightWords(entry.summary, slots).map((part) => {
      if (!part.highlighted) return document.createTextNode(part.text);
      const mark = document.createElement('mark');
      mark.textContent = part.text;
      return mark;
    }),
  );
  item.append(excerpt);
  return item;
}

let observer: IntersectionObserver | undefined;
const onVisible = new WeakMap<Element, () => unknown>();

/** Runs `callback` once, when `element` first comes into view. */
function whenVisible(element: Element, callback: () => unknown): void {
  if (typeof IntersectionObserver === 'undefined') {
    callback();
    return;
  }
  observer ??= new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      observer!.unobserve(entry.target);
      onVisible.get(entry.target)?.();
    }
  });
  onVisible.set(element, callback);
  observer.observe(element);
}

const quoted = (words: readonly string[]) => words.map((word) => `“${word}”`).join(', ');

/** The line above the results that says how loosely they match, or '' for an exact match. */
export function describeMatch(outcome: SearchOutcome): string {
  const typed = outcome.corrections.map(([word]) => word);
  const corrected = outcome.corrections.map(([, word]) => word);
  const readAs =
    typed.length > 0 ? `No answer has ${quoted(typed)}; read as ${quoted(corrected)}. ` : '';
  switch (outcome.mode) {
    case 'all':
      return '';
    case 'corrected':
      return `No answer has ${quoted(typed)}; showing answers for ${quoted(corrected)}.`;
    case 'main-words':
      return `${readAs}No answer has every word; showing answers with all the main words (leaving out ${quoted(outcome.dropped)}).`;
    case 'some-words':
      return `${readAs}No answer has every word; showing answers with most of them.`;
    case 'none':
      return `${readAs}No answer has any of these words. Try other words, or browse the topics.`;
  }
}
