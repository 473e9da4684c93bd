import { contentSlots, sameStem, wordsOf, type QuerySlot } from './search-query';

/** A piece of a search excerpt: plain text, or a word that matches the query. */
export interface ExcerptPart {
  text: string;
  highlighted: boolean;
}

/**
 * Splits a text (a result's summary) into parts, marking the words that match the query's main
 * words or their synonyms. The page renders parts with textContent, so nothing in a summary or
 * a query can ever become markup.
 */
export function highlightWords(text: string, slots: readonly QuerySlot[]): ExcerptPart[] {
  const wanted = contentSlots(slots).flatMap((slot) => slot.alternatives.flatMap(wordsOf));
  const parts: ExcerptPart[] = [];
  for (const token of text.split(/([\p{L}\p{N}][\p{L}\p{N}'-]*)/u)) {
    if (!token) continue;
    const word = token.toLowerCase();
    const highlighted = /^[\p{L}\p{N}]/u.test(token) && wanted.some((part) => sameStem(part, word));
    const previous = parts.at(-1);
    if (previous && previous.highlighted === highlighted && !highlighted) previous.text += token;
    else parts.push({ text: token, highlighted });
  }
  return parts;
}
