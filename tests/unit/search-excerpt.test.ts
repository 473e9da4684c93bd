import { expect, test } from 'vitest';
import { parseExcerpt } from '../../src/utils/search-excerpt';

test('splits highlighted matches from plain text', () => {
  expect(parseExcerpt('the <mark>KV</mark> <mark>cache</mark> grows')).toEqual([
    { text: 'the ', highlighted: false },
    { text: 'KV', highlighted: true },
    { text: ' ', highlighted: false },
    { text: 'cache', highlighted: true },
    { text: ' grows', highlighted: false },
  ]);
});

test('decodes escaped text so it is shown exactly, as text', () => {
  expect(
    parseExcerpt('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; <mark>a&lt;b</mark>'),
  ).toEqual([
    { text: '<script>alert("x")</script> & ', highlighted: false },
    { text: 'a<b', highlighted: true },
  ]);
});

test('an unescaped tag other than mark stays literal text', () => {
  expect(parseExcerpt('<img src=x onerror=alert(1)>')).toEqual([
    { text: '<img src=x onerror=alert(1)>', highlighted: false },
  ]);
});
