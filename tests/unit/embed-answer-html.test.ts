import { describe, expect, test } from 'vitest';
import { embedAnswerHtml } from '../../src/utils/embed-answer-html';

const scoped = (html: string, linkTarget?: (href: string) => string | undefined) =>
  embedAnswerHtml(html, { idPrefix: 'q-12-', headingShift: 1, linkTarget });

describe('embedAnswerHtml', () => {
  test('prefixes heading ids and the section links that point at them', () => {
    const html =
      '<div class="heading-wrapper"><h2 id="short-answer">Short answer</h2>' +
      '<a class="heading-anchor" href="#short-answer">#</a></div>';
    expect(scoped(html)).toBe(
      '<div class="heading-wrapper"><h3 id="q-12-short-answer">Short answer</h3>' +
        '<a class="heading-anchor" href="#q-12-short-answer">#</a></div>',
    );
  });

  test('moves every heading down by the shift, never past h6', () => {
    expect(scoped('<h2>a</h2><h3>b</h3><h6>c</h6>')).toBe('<h3>a</h3><h4>b</h4><h6>c</h6>');
    expect(embedAnswerHtml('<h3>b</h3>', { idPrefix: '', headingShift: 0 })).toBe('<h3>b</h3>');
  });

  test('prefixes ARIA, label and table references, each id of a list', () => {
    expect(scoped('<svg role="img" aria-labelledby="t d"></svg>')).toBe(
      '<svg role="img" aria-labelledby="q-12-t q-12-d"></svg>',
    );
    expect(scoped('<label for="x">X</label>')).toBe('<label for="q-12-x">X</label>');
    expect(scoped('<table><tr><td headers="h1 h2"></td></tr></table>')).toContain(
      'headers="q-12-h1 q-12-h2"',
    );
  });

  test('prefixes SVG url(#id) references and <use> links, quoted or not', () => {
    const svg =
      '<svg><defs><marker id="arrow"></marker></defs>' +
      '<path marker-end="url(#arrow)" style="fill: url(\'#grad\')"></path>' +
      '<use href="#arrow"></use></svg>';
    const out = scoped(svg);
    expect(out).toContain('<marker id="q-12-arrow">');
    expect(out).toContain('marker-end="url(#q-12-arrow)"');
    expect(out).toContain('style="fill: url(&#x27;#q-12-grad&#x27;)"');
    expect(out).toContain('<use href="#q-12-arrow">');
  });

  test('leaves external links alone and sends links to other answers where the caller says', () => {
    const linkTarget = (href: string) =>
      href.startsWith('/questions/kv-cache/') ? href.replace(/^[^#]*#?/, '#q-13-') : undefined;
    expect(scoped('<a href="https://arxiv.org/abs/1706.03762">paper</a>', linkTarget)).toBe(
      '<a href="https://arxiv.org/abs/1706.03762">paper</a>',
    );
    expect(scoped('<a href="/questions/kv-cache/#paging">KV</a>', linkTarget)).toBe(
      '<a href="#q-13-paging">KV</a>',
    );
    expect(scoped('<a href="/topics/rag/">RAG</a>', linkTarget)).toBe(
      '<a href="/topics/rag/">RAG</a>',
    );
  });

  test('keeps text that looks like markup as text', () => {
    expect(scoped('<p>id="x" &lt;h2 id="y"&gt; url(#z)</p>')).toBe(
      '<p>id="x" &#x3C;h2 id="y"> url(#z)</p>',
    );
  });

  test('keeps MathML intact', () => {
    const math =
      '<math><semantics><mi>x</mi><annotation encoding="application/x-tex">x</annotation></semantics></math>';
    expect(scoped(math)).toBe(math);
  });
});
