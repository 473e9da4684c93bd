import { describe, expect, test } from 'vitest';
import { createFlashcardHtmlRenderer } from '../../src/markdown/flashcard-html';

const render = await createFlashcardHtmlRenderer({
  base: '/sub/',
  directory: new Map([
    [13, { slug: 'positional-encodings', published: true }],
    [14, { slug: 'pre-training', published: false }],
  ]),
});
const pageUrl = 'https://example.org/sub/questions/attention-mechanisms/';

describe('flashcard HTML', () => {
  test('renders paragraphs, emphasis and code, with the site’s smart quotes', async () => {
    expect(await render('It is **fast** and "exact": `softmax`.\n\nSecond.', pageUrl)).toBe(
      '<p>It is <strong>fast</strong> and “exact”: <code>softmax</code>.</p>\n<p>Second.</p>',
    );
  });

  test('writes math in Anki’s MathJax delimiters, escaped as HTML', async () => {
    expect(await render('Cost $O(n^2)$ when $a < b$.', pageUrl)).toBe(
      '<p>Cost \\(O(n^2)\\) when \\(a &#x3C; b\\).</p>',
    );
    expect(await render('$$\n\\frac{1}{2}\n$$', pageUrl)).toBe('<p>\\[\\frac{1}{2}\\]</p>');
  });

  test('makes links absolute: to other questions, within the page, and relative ones', async () => {
    expect(await render('See [RoPE](q:13#rope).', pageUrl)).toBe(
      '<p>See <a href="https://example.org/sub/questions/positional-encodings/#rope">RoPE</a>.</p>',
    );
    expect(await render('[below](#deep-dive)', pageUrl)).toBe(
      '<p><a href="https://example.org/sub/questions/attention-mechanisms/#deep-dive">below</a></p>',
    );
    expect(await render('[paper](https://arxiv.org/abs/1706.03762)', pageUrl)).toContain(
      'href="https://arxiv.org/abs/1706.03762"',
    );
  });

  test('a link to a draft becomes its text, as on the page', async () => {
    expect(await render('See [pre-training](q:14).', pageUrl)).toBe('<p>See pre-training.</p>');
  });

  test('shows HTML written in an answer as text', async () => {
    expect(await render('Never <script>alert(1)</script> run.', pageUrl)).toBe(
      '<p>Never &#x3C;script>alert(1)&#x3C;/script> run.</p>',
    );
    expect(await render('<div>block</div>', pageUrl)).toBe('<p>&#x3C;div>block&#x3C;/div></p>');
  });
});
