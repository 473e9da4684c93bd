import { expect, test } from 'vitest';
import {
  absentForms,
  catalogueEntry,
  sectionAnchors,
  vocabularyShard,
  vocabularyShards,
  type PagefindFragment,
} from '../../src/utils/search-catalogue';

const fragment = (overrides: Partial<PagefindFragment> = {}): PagefindFragment => ({
  url: '/questions/beam-search/',
  content: 'Beam search keeps the best beams. Beam search is greedy over beams.',
  meta: {
    number: '66',
    title: 'Explain beam search.',
    summary: 'Keeps k hypotheses.',
    tags: 'beam-search decoding',
  },
  filters: { topic: ['Hands-on coding'], difficulty: ['Intermediate'] },
  anchors: [
    { element: 'h2', id: 'short-answer', text: 'Short answer', location: 3 },
    { element: 'h3', id: 'length-penalty', text: 'Length penalty', location: 40 },
    { element: 'h2', id: 'follow-up-questions', text: 'Follow-up questions', location: 90 },
    { element: 'h3', id: 'why-not-greedy', text: 'Why not greedy?', location: 92 },
    { element: 'h2', id: 'references', text: 'References', location: 120 },
  ],
  ...overrides,
});

test('an entry has what a result shows', () => {
  expect(catalogueEntry(fragment())).toEqual({
    number: 66,
    title: 'Explain beam search.',
    url: '/questions/beam-search/',
    summary: 'Keeps k hypotheses.',
    tags: 'beam-search decoding',
    topic: 'Hands-on coding',
    difficulty: 'Intermediate',
  });
});

test('a page without a field fails, naming the page and the field', () => {
  expect(() => catalogueEntry(fragment({ meta: { number: '66', title: 'x' } }))).toThrow(
    '/questions/beam-search/ has no meta "summary"',
  );
  expect(() => catalogueEntry(fragment({ filters: {} }))).toThrow('filter "topic"');
});

test('sections are the h2 and h3 headings but the references', () => {
  expect(sectionAnchors(fragment().anchors).map((anchor) => anchor.id)).toEqual([
    'short-answer',
    'length-penalty',
    'follow-up-questions',
    'why-not-greedy',
  ]);
});

test('the vocabulary is every word of three letters or more, sorted, by first character', () => {
  const shards = vocabularyShards([
    fragment({ content: 'Beam search keeps 4 beams; BEAM width k. 175B params, beam-' }),
  ]);
  expect(shards).toEqual({
    '0': ['175b'],
    b: ['beam', 'beams'],
    k: ['keeps'],
    p: ['params'],
    s: ['search'],
    w: ['width'],
  });
  expect(vocabularyShard('7b')).toBe('0');
  expect(vocabularyShard('lora')).toBe('l');
});

test('synonym forms with a word no page uses are absent; forms it cannot judge are kept', () => {
  const shards = { f: ['fine-tuning', 'fine'], t: ['tokenization', 'tuning', 'test'] };
  const groups = [
    ['tokenization', 'tokenisation'],
    ['finetuning', 'fine-tuning', 'fine tuning'],
    ['a/b test', 'ab test'],
  ];
  // "a/b" and "ab" are not judged: the vocabulary holds neither slashes nor two-letter words.
  expect(absentForms(groups, shards)).toEqual(['tokenisation', 'finetuning']);
});
