/**
 * Pure helpers that turn a reader's query into the searches the site runs: strict first, then
 * without filler words, then any of the words; with synonyms and one-letter typo correction.
 * No DOM and no Pagefind here, so every rule is unit-tested.
 */

/** Words that carry no topic: dropped when the full query finds nothing. */
export const stopWords: ReadonlySet<string> = new Set(
  (
    'a an the and or of to in on for with without by from at as into onto about between ' +
    'is are was were be been being do does did done how why what when where which who whom ' +
    'whose vs versus v can could should would will shall may might must it its this that these ' +
    'those i you we they me my your our their there than then so if not no yes ' +
    'explain describe discuss difference differences compare comparison work works mean means ' +
    'meaning use using used some any most more best percent'
  ).split(' '),
);

/** One of the reader's words or phrases, with every form it may match. */
export interface QuerySlot {
  /** As typed (normalised). */
  text: string;
  /** Forms to search for: the text itself first, then its synonyms. */
  alternatives: readonly string[];
  /** A filler word ("how", "vs"), dropped by the looser searches. */
  stop: boolean;
}

/** Lower case, curly quotes and sentence punctuation gone, single spaces. */
export function normaliseQuery(query: string): string {
  return query
    .toLowerCase()
    .replace(/[“”"‘’`´?!,;:()[\]{}<>]/g, ' ')
    .replace(/(^|\s)[.'-]+|[.'-]+(?=\s|$)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Splits a query into slots, matching the longest synonym phrase at each position. */
export function parseQuery(query: string, groups: readonly (readonly string[])[]): QuerySlot[] {
  const words = normaliseQuery(query).split(' ').filter(Boolean);
  const forms = groups.flatMap((group) => group.map((form) => ({ words: form.split(' '), group })));
  forms.sort((a, b) => b.words.length - a.words.length);
  const slots: QuerySlot[] = [];
  for (let index = 0; index < words.length;) {
    const form = forms.find((candidate) =>
      candidate.words.every((word, offset) => words[index + offset] === word),
    );
    if (form) {
      const text = form.words.join(' ');
      const others = form.group.filter((alternative) => alternative !== text);
      slots.push({ text, alternatives: [text, ...others], stop: false });
      index += form.words.length;
    } else {
      const word = words[index];
      slots.push({ text: word, alternatives: [word], stop: stopWords.has(word) });
      index += 1;
    }
  }
  return slots;
}

/**
 * Whole-query searches for the given slots: the query as typed first, then with synonyms
 * substituted, at most `limit` in all (each one is a Pagefind search).
 */
export function phrasings(slots: readonly QuerySlot[], limit = 4): string[] {
  let results: string[][] = [[]];
  for (const slot of slots) {
    results = results.flatMap((prefix) =>
      slot.alternatives.map((alternative) => [...prefix, alternative]),
    );
    results = results.slice(0, limit);
  }
  return results.map((parts) => parts.join(' ')).filter(Boolean);
}

/** The slots that carry the topic. */
export function contentSlots(slots: readonly QuerySlot[]): QuerySlot[] {
  return slots.filter((slot) => !slot.stop);
}

/**
 * Edit distance with adjacent transpositions (optimal string alignment), giving up above `max`:
 * "atention" is 1 from "attention", "tokenzier" is 1 from "tokenizer".
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i += 1) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j += 1) {
      if (i === 0) {
        rows[i].push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, rows[i - 2][j - 2] + 1);
      rows[i].push(value);
    }
    if (Math.min(...rows[i]) > max) return max + 1;
  }
  return rows[a.length][b.length];
}

/** Words the typo check leaves alone: short, or not plain letters. */
export function isCheckable(word: string): boolean {
  return word.length >= 4 && /^[a-z]+$/.test(word);
}

/**
 * Whether a word is on the site, given the site's sorted words that share its first letter:
 * as it is, as the start of a longer word (the reader is still typing), or as a site word with a
 * short ending added ("predicts" for "predict").
 */
export function isKnownWord(word: string, words: readonly string[]): boolean {
  const index = lowerBound(words, word);
  if (words[index]?.startsWith(word)) return true;
  for (let cut = 1; cut <= 3 && word.length - cut >= 4; cut += 1)
    if (words[lowerBound(words, word.slice(0, -cut))] === word.slice(0, -cut)) return true;
  return false;
}

function lowerBound(words: readonly string[], word: string): number {
  let low = 0;
  let high = words.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (words[middle] < word) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The site word a mistyped word most likely meant: the nearest within one edit (two for words of
 * eight letters or more), then the closest in length, then the first alphabetically.
 */
export function correctWord(word: string, words: readonly string[]): string | undefined {
  if (!isCheckable(word)) return undefined;
  const max = word.length >= 8 ? 2 : 1;
  let best: { word: string; distance: number } | undefined;
  for (const candidate of words) {
    const distance = editDistance(word, candidate, max);
    if (distance > max) continue;
    const closer =
      !best ||
      distance < best.distance ||
      (distance === best.distance &&
        Math.abs(candidate.length - word.length) < Math.abs(best.word.length - word.length));
    if (closer) best = { word: candidate, distance };
  }
  return best?.word;
}

/** Whether two words look like forms of one word ("embedding", "embeddings"). */
export function sameStem(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length <= 3) return long === short || long === `${short}s`;
  const stem = short.length > 4 ? short.slice(0, Math.max(4, short.length - 2)) : short;
  // Long stems allow long endings ("parallel", "parallelization").
  return long.startsWith(stem) && long.length - stem.length <= (stem.length >= 6 ? 8 : 5);
}

/** Lower-case words of a text, for matching query words against titles and summaries. */
export function wordsOf(text: string): string[] {
  return normaliseQuery(text)
    .split(/[\s/]+/)
    .flatMap((word) => [word, ...(word.includes('-') ? word.split('-') : [])])
    .filter(Boolean);
}

/**
 * How much of the query's main words a text covers, from 0 to 1: each slot counts the best share
 * of one of its forms' words found in the text ("machine translation" is half there in "language
 * translation").
 */
export function slotCoverage(slots: readonly QuerySlot[], text: string): number {
  const content = contentSlots(slots);
  if (content.length === 0) return 0;
  const words = wordsOf(text);
  const found = (part: string) => words.some((word) => sameStem(part, word));
  const shares = content.map((slot) =>
    Math.max(
      ...slot.alternatives.map((alternative) => {
        const parts = wordsOf(alternative);
        return parts.filter(found).length / parts.length;
      }),
    ),
  );
  return shares.reduce((sum, share) => sum + share, 0) / content.length;
}

/**
 * The share (0 to 1) of a title's own topic words that the query's main words match: a title
 * that is mostly the query is more about it than a long one that mentions it once.
 */
export function titleDensity(slots: readonly QuerySlot[], title: string): number {
  const wanted = contentSlots(slots).flatMap((slot) => slot.alternatives.flatMap(wordsOf));
  const words = wordsOf(title).filter((word) => !stopWords.has(word));
  if (words.length === 0) return 0;
  return words.filter((word) => wanted.some((part) => sameStem(part, word))).length / words.length;
}

/** A heading on a page and where it starts, in Pagefind's word positions. */
export interface SectionAnchor {
  location: number;
  text: string;
  id: string;
}

/**
 * The section where a result's matches are, if any section holds at least two of them: the one
 * with the most different query words, then the densest in matches. `locations` holds one list
 * of word positions per query word, so a short section about "length penalty" wins over a long
 * one (or a code listing) that repeats "beam search".
 */
export function bestSection(
  locations: readonly (readonly number[])[],
  anchors: readonly SectionAnchor[],
): SectionAnchor | undefined {
  const sorted = [...anchors].sort((a, b) => a.location - b.location);
  const tallies = sorted.map((anchor, index) => {
    const end = sorted[index + 1]?.location ?? Infinity;
    const inside = locations.map(
      (group) => group.filter((location) => location >= anchor.location && location < end).length,
    );
    const total = inside.reduce((sum, count) => sum + count, 0);
    return {
      distinct: inside.filter((count) => count > 0).length,
      total,
      density: total / Math.max(1, end - anchor.location),
    };
  });
  let best = -1;
  tallies.forEach((tally, index) => {
    if (tally.total < 2) return;
    const leader = tallies[best];
    if (
      !leader ||
      tally.distinct > leader.distinct ||
      (tally.distinct === leader.distinct && tally.density > leader.density)
    )
      best = index;
  });
  return best === -1 ? undefined : sorted[best];
}
