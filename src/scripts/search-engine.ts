/**
 * The site's search, shared by the search page and the header box. Pagefind finds the pages;
 * this module decides which searches to run so a reader's phrasing never ends in an empty list:
 * every word (with synonyms), then a corrected typo, then the main words only, then any of them.
 * Results come from the catalogue written at build time, so no page fragment is downloaded.
 */
import { synonymGroups } from '../data/search-synonyms';
import {
  vocabularyShard,
  type CatalogueEntry,
  type SearchCatalogue,
} from '../utils/search-catalogue';
import {
  bestSection,
  contentSlots,
  correctWord,
  isCheckable,
  isKnownWord,
  parseQuery,
  phrasings,
  slotCoverage,
  titleDensity,
  wordsOf,
  type QuerySlot,
  type SectionAnchor,
} from '../utils/search-query';

interface PagefindHit {
  id: string;
  score: number;
  words: number[];
}

interface Pagefind {
  options(options: Record<string, unknown>): Promise<void>;
  init(): Promise<void>;
  preload(term: string, options?: { filters?: Record<string, string> }): Promise<void>;
  search(
    query: string | null,
    options?: { filters?: Record<string, string> },
  ): Promise<{ results: PagefindHit[] } | null>;
}

/**
 * How the results relate to the query: all its words, all after correcting a typo, all of its
 * main words (filler words dropped), some of its words, or nothing at all.
 */
export type MatchMode = 'all' | 'corrected' | 'main-words' | 'some-words' | 'none';

export interface SearchHit {
  /** Pagefind's page id. */
  id: string;
  entry: CatalogueEntry;
  /** Word positions of the matches on the page, one list per main word of the query. */
  words: readonly (readonly number[])[];
}

export interface SearchOutcome {
  mode: MatchMode;
  hits: SearchHit[];
  slots: QuerySlot[];
  /** Typos corrected: [as typed, corrected]. */
  corrections: [string, string][];
  /** Filler words that were dropped. */
  dropped: string[];
}

export type SearchFilters = Record<string, string>;

interface Scored {
  score: number;
  /** Word positions of the matches, one list per main word. */
  words: number[][];
  /** Which content slots matched the page (loose search). */
  slots: Set<number>;
}

export interface SearchEngine {
  /** Fetches Pagefind, its WebAssembly and the catalogue; call on focus. */
  load(): Promise<void>;
  /** Fetches the index chunks a query will need while the reader is still typing. */
  preload(query: string): void;
  search(query: string, filters: SearchFilters): Promise<SearchOutcome>;
  /** The section holding most of a hit's matches, where the reader should land, if any. */
  section(hit: SearchHit): Promise<SectionAnchor | undefined>;
}

/** Synonyms searched per slot in the looser passes: each is one Pagefind search. */
const maxAlternatives = 3;

export function createSearchEngine(pagefindUrl: string, pagefindDir: string): SearchEngine {
  let ready: Promise<[Pagefind, SearchCatalogue]> | undefined;
  const fetchJson = async <T>(file: string): Promise<T> => {
    const response = await fetch(`${pagefindDir}${file}`);
    if (!response.ok) throw new Error(`${file}: HTTP ${response.status}`);
    return (await response.json()) as T;
  };
  const load = () => {
    ready ??= Promise.all([
      import(/* @vite-ignore */ pagefindUrl).then(async (module: Pagefind) => {
        // No worker: searching 75 pages takes milliseconds on the main thread, and the
        // worker's script would add about 12 KB to the first search.
        await module.options({ excerptLength: 0, noWorker: true });
        // Starts fetching Pagefind's index metadata and WebAssembly now, not at the first search.
        await module.init();
        return module;
      }),
      fetchJson<SearchCatalogue>('catalogue.json'),
    ]);
    return ready;
  };
  const shards = new Map<string, Promise<string[]>>();
  const shard = (word: string) => {
    const key = vocabularyShard(word);
    let words = shards.get(key);
    if (!words) {
      // A letter no site word starts with has no file: every word of it is unknown.
      words = fetchJson<string[]>(`vocabulary/${key}.json`).catch(() => []);
      shards.set(key, words);
    }
    return words;
  };

  /**
   * Pagefind searches for each query (the reader's words first, then synonyms), merged per page.
   * Pagefind's scores depend on how rare a word is, so a synonym's scores are rescaled to the
   * first query's best: "tokenisation" on four pages must not outrank "tokenization" on seventy.
   */
  const run = async (queries: readonly string[], filters: SearchFilters) => {
    const [pagefind] = await load();
    const found = new Map<string, Scored>();
    let reference: number | undefined;
    for (const query of queries) {
      const results = (await pagefind.search(query, { filters }))?.results ?? [];
      if (results.length === 0) continue;
      const best = Math.max(...results.map((hit) => hit.score));
      reference ??= best;
      for (const hit of results) {
        const score = (hit.score / best) * reference;
        const seen = found.get(hit.id);
        if (!seen) found.set(hit.id, { score, words: [hit.words], slots: new Set() });
        else {
          seen.score = Math.max(seen.score, score);
          seen.words = [[...seen.words[0], ...hit.words]];
        }
      }
    }
    return found;
  };

  /**
   * Checks the reader's words against the site's: a typo becomes the nearest site word; a word
   * the site does not have and that has no near neighbour is set aside (Pagefind would match
   * some short prefix of it, which is noise).
   */
  let titleWords: string[] | undefined;
  const checkWords = async (slots: QuerySlot[]) => {
    // Words of titles and summaries are known without fetching a vocabulary shard.
    titleWords ??= [
      ...new Set(
        Object.values((await load())[1].pages).flatMap((entry) =>
          wordsOf(`${entry.title} ${entry.summary}`),
        ),
      ),
    ].sort();
    const absent = new Set((await load())[1].absentForms);
    const corrections: [string, string][] = [];
    const unknown: string[] = [];
    const checked: QuerySlot[] = [];
    for (const slot of slots) {
      if (slot.alternatives.length > 1) {
        // A synonym form no page uses would only match noise.
        const alternatives = slot.alternatives.filter((form) => !absent.has(form));
        if (alternatives.length > 0) checked.push({ ...slot, alternatives });
        else unknown.push(slot.text);
        continue;
      }
      if (slot.stop || !isCheckable(slot.text)) {
        checked.push(slot);
        continue;
      }
      if (isKnownWord(slot.text, titleWords)) {
        checked.push(slot);
        continue;
      }
      const words = await shard(slot.text);
      if (isKnownWord(slot.text, words)) checked.push(slot);
      else {
        const corrected = correctWord(slot.text, words);
        if (corrected) {
          corrections.push([slot.text, corrected]);
          checked.push({ ...parseQuery(corrected, synonymGroups)[0], stop: false });
        } else unknown.push(slot.text);
      }
    }
    return { checked, corrections, unknown };
  };

  /** The catalogue entry of a Pagefind page; a page it lacks means a stale or broken build. */
  const entryFor = async (id: string): Promise<CatalogueEntry> => {
    const entry = (await load())[1].pages[id];
    if (!entry) throw new Error(`search catalogue has no page ${id}: rebuild the site`);
    return entry;
  };

  /**
   * Orders pages by Pagefind's score for the main words, raised when the page's title, summary
   * and tags hold them (the question itself before a page that mentions them in passing) and
   * lowered for each main word the page lacks.
   */
  const rank = async (found: Map<string, Scored>, slots: QuerySlot[]) => {
    const total = contentSlots(slots).length;
    const entries = await Promise.all([...found.keys()].map(entryFor));
    const ranked = [...found].map(([id, scored], index) => {
      const entry = entries[index];
      const boost =
        1 +
        3 * slotCoverage(slots, entry.title) +
        2 * slotCoverage(slots, entry.summary) +
        2 * slotCoverage(slots, entry.tags) +
        2 * titleDensity(slots, entry.title);
      const completeness = 0.5 + (0.5 * scored.slots.size) / total;
      return { id, entry, scored, value: scored.score * boost * completeness };
    });
    ranked.sort((a, b) => b.value - a.value || a.entry.number - b.entry.number);
    return ranked.map(({ id, entry, scored }) => ({ id, entry, words: scored.words }));
  };

  /** Whether a page's title, summary and tags hold at least half of the main words. */
  const aboutIt = async (id: string, slots: QuerySlot[]) => {
    const entry = await entryFor(id);
    return slotCoverage(slots, `${entry.title} ${entry.summary} ${entry.tags}`) >= 0.5;
  };

  const listAll = async (filters: SearchFilters): Promise<SearchHit[]> => {
    const [pagefind] = await load();
    const listed = (await pagefind.search(null, { filters }))?.results ?? [];
    const hits = await Promise.all(
      listed.map(async (hit) => ({ id: hit.id, entry: await entryFor(hit.id), words: [] })),
    );
    return hits.sort((a, b) => a.entry.number - b.entry.number);
  };

  const search = async (query: string, filters: SearchFilters): Promise<SearchOutcome> => {
    const typed = parseQuery(query, synonymGroups);
    if (typed.length === 0)
      return { mode: 'all', hits: await listAll(filters), slots: [], corrections: [], dropped: [] };
    const { checked: slots, corrections, unknown } = await checkWords(typed);
    const content = contentSlots(slots);
    const dropped = [...slots.filter((slot) => slot.stop).map((slot) => slot.text), ...unknown];
    const outcome = (mode: MatchMode, hits: SearchHit[]): SearchOutcome => ({
      mode: hits.length === 0 ? 'none' : mode,
      hits,
      slots,
      corrections,
      dropped,
    });
    if (content.length === 0) return outcome('none', []);

    // Every word as typed (stop words too) decides whether the notice is needed; the list is
    // built from the main words, each with its synonyms, so a page that has them all ranks
    // first even if it lacks a "how" or a "does".
    const everyWord = unknown.length === 0 ? await run(phrasings(slots), filters) : new Map();
    const perSlot = await Promise.all(
      content.map((slot) => run(slot.alternatives.slice(0, maxAlternatives), filters)),
    );
    const merged = new Map<string, Scored>();
    perSlot.forEach((found, slotIndex) => {
      for (const [id, scored] of found) {
        const seen = merged.get(id) ?? { score: 0, words: [], slots: new Set<number>() };
        seen.score += scored.score;
        seen.words = [...seen.words, ...scored.words];
        seen.slots.add(slotIndex);
        merged.set(id, seen);
      }
    });
    // Pages with every main word, and pages whose title and summary are about the query even
    // if the body lacks a word ("prevent" on the overfitting page).
    const shown = new Map<string, Scored>();
    for (const [id, scored] of merged)
      if (scored.slots.size === content.length || (await aboutIt(id, slots))) shown.set(id, scored);
    const hasAllMain = [...merged.values()].some((scored) => scored.slots.size === content.length);
    if (everyWord.size > 0 && hasAllMain)
      return outcome(corrections.length > 0 ? 'corrected' : 'all', await rank(shown, slots));
    if (hasAllMain && (dropped.length > 0 || corrections.length > 0))
      return outcome('main-words', await rank(shown, slots));
    return outcome('some-words', await rank(merged, slots));
  };

  const sections = new Map<string, Promise<SectionAnchor[]>>();
  const section = async (hit: SearchHit) => {
    if (hit.words.length === 0) return undefined;
    let anchors = sections.get(hit.id);
    if (!anchors) {
      anchors = fetchJson<SectionAnchor[]>(`sections/${hit.id}.json`);
      sections.set(hit.id, anchors);
    }
    return bestSection(hit.words, await anchors);
  };

  return {
    load: async () => void (await load()),
    section,
    preload: (query) => {
      const [first] = phrasings(contentSlots(parseQuery(query, synonymGroups)), 1);
      if (first) void load().then(([pagefind]) => pagefind.preload(first));
    },
    search,
  };
}
