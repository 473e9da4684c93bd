import { expect, test } from 'vitest';
import { synonymGroups } from '../../src/data/search-synonyms';
import { highlightWords } from '../../src/utils/search-excerpt';
import { parseQuery } from '../../src/utils/search-query';

const slots = (query: string) => parseQuery(query, synonymGroups);

test('marks the words of the query, in any form, and nothing else', () => {
  expect(highlightWords('The KV cache grows with every token.', slots('kv caches'))).toEqual([
    { text: 'The ', highlighted: false },
    { text: 'KV', highlighted: true },
    { text: ' ', highlighted: false },
    { text: 'cache', highlighted: true },
    { text: ' grows with every token.', highlighted: false },
  ]);
});

test('marks the synonyms of an abbreviation', () => {
  const parts = highlightWords('Low-rank adaptation trains two small matrices.', slots('lora'));
  expect(parts.filter((part) => part.highlighted).map((part) => part.text)).toEqual([
    'Low-rank',
    'adaptation',
  ]);
});

test('filler words in the query are never marked', () => {
  const parts = highlightWords('How does the model work?', slots('how does it work'));
  expect(parts.every((part) => !part.highlighted)).toBe(true);
});

test('text that looks like markup stays text, in order and complete', () => {
  const text = '<img src=x onerror=alert(1)> & attention';
  const parts = highlightWords(text, slots('attention'));
  expect(parts.map((part) => part.text).join('')).toBe(text);
  expect(parts.at(-1)).toEqual({ text: 'attention', highlighted: true });
});
