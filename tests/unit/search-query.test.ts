import { describe, expect, test } from 'vitest';
import { synonymGroups } from '../../src/data/search-synonyms';
import {
  bestSection,
  contentSlots,
  correctWord,
  editDistance,
  isKnownWord,
  normaliseQuery,
  parseQuery,
  phrasings,
  sameStem,
  slotCoverage,
  titleDensity,
} from '../../src/utils/search-query';

const parse = (query: string) => parseQuery(query, synonymGroups);

describe('normaliseQuery', () => {
  test('lower case, punctuation and curly quotes gone, single spaces', () => {
    expect(normaliseQuery('  Why do “Transformers” train faster than RNNs?  ')).toBe(
      'why do transformers train faster than rnns',
    );
  });
  test('keeps hyphens and slashes inside words', () => {
    expect(normaliseQuery('zero-shot vs. few-shot, A/B test')).toBe(
      'zero-shot vs few-shot a/b test',
    );
  });
});

describe('parseQuery', () => {
  test('marks filler words and keeps topic words', () => {
    const slots = parse('zero-shot vs few-shot prompting');
    expect(slots.map((slot) => [slot.text, slot.stop])).toEqual([
      ['zero-shot', false],
      ['vs', true],
      ['few-shot', false],
      ['prompting', false],
    ]);
  });
  test('an abbreviation brings its spelled-out forms, and the other way round', () => {
    expect(parse('rlhf')[0].alternatives).toEqual([
      'rlhf',
      'reinforcement learning from human feedback',
    ]);
    const spelled = parse('what is reinforcement learning from human feedback');
    expect(spelled.map((slot) => slot.text)).toEqual([
      'what',
      'is',
      'reinforcement learning from human feedback',
    ]);
    expect(spelled[2].alternatives).toContain('rlhf');
  });
  test('the longest phrase wins', () => {
    expect(parse('key value cache size').map((slot) => slot.text)).toEqual([
      'key value cache',
      'size',
    ]);
  });
  test('an empty or punctuation-only query has no slots', () => {
    expect(parse('')).toEqual([]);
    expect(parse(' ?! ')).toEqual([]);
  });
});

describe('phrasings', () => {
  test('the query as typed comes first, synonyms after, capped', () => {
    const all = phrasings(parse('lora vs rlhf'));
    expect(all[0]).toBe('lora vs rlhf');
    expect(all).toContain('lora vs reinforcement learning from human feedback');
    expect(phrasings(parse('lora qlora peft rag moe'), 3)).toHaveLength(3);
  });
  test('content slots leave filler words out', () => {
    expect(contentSlots(parse('how does beam search work')).map((slot) => slot.text)).toEqual([
      'beam',
      'search',
    ]);
  });
});

describe('typo correction', () => {
  test('edit distance counts a swap of neighbours as one edit', () => {
    expect(editDistance('tokenzier', 'tokenizer', 2)).toBe(1);
    expect(editDistance('atention', 'attention', 2)).toBe(1);
    expect(editDistance('beam', 'team', 2)).toBe(1);
    expect(editDistance('quantization', 'attention', 2)).toBe(3);
  });
  const words = ['attention', 'beam', 'predict', 'tension', 'tokenizer', 'tokenizers'];
  test('corrects to the nearest word, the closest in length on ties', () => {
    expect(correctWord('atention', words)).toBe('attention');
    expect(correctWord('tokenzier', words)).toBe('tokenizer');
  });
  test('leaves short words, words with digits and far-off words alone', () => {
    expect(correctWord('bam', words)).toBeUndefined();
    expect(correctWord('gpt4', words)).toBeUndefined();
    expect(correctWord('zebra', words)).toBeUndefined();
  });
  test('a word is known as it is, half typed, or with a short ending', () => {
    expect(isKnownWord('attention', words)).toBe(true);
    expect(isKnownWord('tokeni', words)).toBe(true);
    expect(isKnownWord('predicts', words)).toBe(true);
    expect(isKnownWord('predicting', words)).toBe(true);
    expect(isKnownWord('atention', words)).toBe(false);
    expect(isKnownWord('tokenzier', words)).toBe(false);
  });
});

describe('matching titles', () => {
  test('word forms count as one word', () => {
    expect(sameStem('embedding', 'embeddings')).toBe(true);
    expect(sameStem('tokenizer', 'tokenization')).toBe(true);
    expect(sameStem('rag', 'ragged')).toBe(false);
    expect(sameStem('bert', 'roberta')).toBe(false);
  });
  test('coverage is the share of main words found in the text', () => {
    const slots = parse('how does beam search work');
    expect(slotCoverage(slots, 'Explain beam search')).toBe(1);
    expect(slotCoverage(slots, 'Greedy search')).toBe(0.5);
    expect(slotCoverage(parse('rlhf'), 'Reinforcement learning from human feedback')).toBe(1);
  });
});

test("title density is the share of a title's topic words that the query matches", () => {
  expect(titleDensity(parse('tokenization'), 'How is tokenization performed?')).toBe(0.5);
  // write, function, tokenize, text, gpt-2 and its parts gpt and 2: one of seven.
  expect(
    titleDensity(parse('tokenization'), 'Write a function to tokenize text for GPT-2'),
  ).toBeCloseTo(1 / 7);
});

describe('bestSection', () => {
  const anchors = [
    { location: 10, text: 'Short answer', id: 'short-answer' },
    { location: 100, text: 'Length penalty', id: 'length-penalty' },
    { location: 200, text: 'Common mistakes', id: 'common-mistakes' },
  ];
  test('the section densest in matches', () => {
    expect(bestSection([[12, 105, 110, 150, 210]], anchors)?.id).toBe('length-penalty');
    expect(bestSection([[12, 14, 16, 105, 110]], anchors)?.id).toBe('short-answer');
  });
  test('more different query words beat more repeats of one', () => {
    const beam = [12, 14, 16, 18, 105];
    const penalty = [110];
    expect(bestSection([beam, penalty], anchors)?.id).toBe('length-penalty');
    expect(bestSection([beam, []], anchors)?.id).toBe('short-answer');
  });
  test('none when no section holds two matches', () => {
    expect(bestSection([[12, 105, 210]], anchors)).toBeUndefined();
    expect(bestSection([[1, 2, 3]], anchors)).toBeUndefined();
  });
});
