/**
 * The search catalogue: what a result list needs about every page (title, number, summary,
 * topic, difficulty), in one small file written after Pagefind indexes the site. With it a
 * result shows at once, without downloading the page's Pagefind fragment (about 6 KB each).
 * Each page's section headings go in a file of their own (well under 1 KB), fetched only for
 * results on screen, where the matching section is found from the word positions Pagefind
 * returns. The vocabulary lets the search correct a mistyped word.
 */
import type { SectionAnchor } from './search-query';

/** What Pagefind stores for one page (the fields we read). */
export interface PagefindFragment {
  url: string;
  content: string;
  meta: Record<string, string | undefined>;
  filters: Record<string, string[] | undefined>;
  anchors: { element: string; id: string; text: string; location: number }[];
}

export interface CatalogueEntry {
  /** Question number. */
  number: number;
  title: string;
  url: string;
  summary: string;
  /** The question's tags, space-separated (they weigh in ranking). */
  tags: string;
  topic: string;
  difficulty: string;
}

export interface SearchCatalogue {
  /** Keyed by Pagefind's page id (the fragment's file name without extension). */
  pages: Record<string, CatalogueEntry>;
  /**
   * Synonym forms no page uses ("tokenisation" when every answer says "tokenization"): searching
   * for them would only match noise, so the search skips them.
   */
  absentForms: string[];
}

/** Headings a reader can land on: every h2 and h3 but References, which is not indexed. */
export function sectionAnchors(anchors: PagefindFragment['anchors']): SectionAnchor[] {
  return anchors
    .filter(({ element, id }) => (element === 'h2' || element === 'h3') && id !== 'references')
    .map(({ location, text, id }) => ({ location, text, id }));
}

/** One catalogue entry; throws, naming the page and the field, if Pagefind's record lacks one. */
export function catalogueEntry(fragment: PagefindFragment): CatalogueEntry {
  const need = (value: string | undefined, field: string): string => {
    if (!value) throw new Error(`search catalogue: ${fragment.url} has no ${field}`);
    return value;
  };
  const number = Number(need(fragment.meta.number, 'meta "number"'));
  if (!Number.isInteger(number)) throw new Error(`search catalogue: ${fragment.url} number`);
  return {
    number,
    title: need(fragment.meta.title, 'meta "title"'),
    url: fragment.url,
    summary: need(fragment.meta.summary, 'meta "summary"'),
    tags: need(fragment.meta.tags, 'meta "tags"'),
    topic: need(fragment.filters.topic?.[0], 'filter "topic"'),
    difficulty: need(fragment.filters.difficulty?.[0], 'filter "difficulty"'),
  };
}

/**
 * Every word of three letters or more on the indexed pages, sorted and split by first character:
 * the search checks a reader's word against its shard (about 1-3 KB) to tell a typo from a real
 * word, and corrects the typo to the nearest word there.
 */
export function vocabularyShards(fragments: readonly PagefindFragment[]): Record<string, string[]> {
  const words = new Set<string>();
  for (const fragment of fragments)
    for (const word of fragment.content.toLowerCase().match(/[a-z0-9][a-z0-9-]{2,}/g) ?? [])
      words.add(word.replace(/-+$/, ''));
  const shards: Record<string, string[]> = {};
  for (const word of [...words].sort()) (shards[vocabularyShard(word)] ??= []).push(word);
  return shards;
}

/** The shard a word belongs to: its first letter, or "0" for a digit. */
export function vocabularyShard(word: string): string {
  return /^[0-9]/.test(word) ? '0' : word[0];
}

/** The synonym forms that some word of which appears on no page (see `SearchCatalogue`). */
export function absentForms(
  groups: readonly (readonly string[])[],
  shards: Readonly<Record<string, readonly string[]>>,
): string[] {
  const words = new Set(Object.values(shards).flat());
  // Only words the vocabulary could hold are judged: three letters or more, letters, digits and
  // hyphens ("a/b" is never in it).
  const judged = (word: string) => /^[a-z0-9][a-z0-9-]{2,}$/.test(word);
  return groups
    .flat()
    .filter((form) => form.split(' ').some((word) => judged(word) && !words.has(word)));
}
