import { expect, test } from 'vitest';
import { countWords } from '../../src/utils/count-words';

test('counts words, keeping contractions and hyphenated words whole', () => {
  expect(countWords('')).toBe(0);
  expect(countWords('Attention is all you need.')).toBe(5);
  expect(countWords("It's a decoder-only model, isn’t it?")).toBe(6);
  expect(countWords('GPT-2 has 1.5B parameters — 48 layers')).toBe(6);
});
