import { describe, expect, test } from 'vitest';
import {
  absoluteUrl,
  allAnswersPath,
  flashcardsPath,
  joinBase,
  labPath,
  practicePath,
  questionPath,
  shortLinkPath,
  topicPath,
  withBase,
} from '../../src/utils/paths';

describe('joinBase', () => {
  test('joins a root base and a path', () => {
    expect(joinBase('/', 'questions/x/')).toBe('/questions/x/');
  });
  test('joins a sub-path base with or without its trailing slash', () => {
    expect(joinBase('/genai-interview/', 'search/')).toBe('/genai-interview/search/');
    expect(joinBase('/genai-interview', '/search/')).toBe('/genai-interview/search/');
  });
  test('an empty path gives the base itself', () => {
    expect(joinBase('/sub/', '')).toBe('/sub/');
  });
});

describe('site paths (base "/" in tests)', () => {
  test('question, short link and topic paths end with a slash', () => {
    expect(withBase('')).toBe('/');
    expect(questionPath('attention-mechanisms')).toBe('/questions/attention-mechanisms/');
    expect(shortLinkPath(12)).toBe('/q/12/');
    expect(topicPath('coding')).toBe('/topics/coding/');
  });
  test('labs, practice, the all-answers page and the deck', () => {
    expect(labPath()).toBe('/labs/');
    expect(labPath('tokenizer')).toBe('/labs/tokenizer/');
    expect(practicePath()).toBe('/practice/');
    expect(allAnswersPath()).toBe('/all-answers/');
    expect(flashcardsPath()).toBe('/flashcards.txt');
  });
});

describe('absoluteUrl', () => {
  test('resolves a path with base against the site', () => {
    expect(absoluteUrl('/sub/q/1/', new URL('https://example.org'))).toBe(
      'https://example.org/sub/q/1/',
    );
  });
  test('fails loudly without a site', () => {
    expect(() => absoluteUrl('/x/', undefined)).toThrow(/site/);
  });
});
