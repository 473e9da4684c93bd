import { join } from 'node:path';
import { expect, test } from 'vitest';
import { hostileBuild } from '../support/builds';
import { $, $$, attr, readPage, text } from '../support/html';

const { outDir, base } = hostileBuild;
const page = readPage(outDir, base, join(outDir, 'questions/hostile/index.html'));

test('a hostile title is shown as text', () => {
  expect(text($(page, 'h1'))).toBe(
    "Is <script>window.__pwned = 'title'</script> escaped in the <b>title</b>?",
  );
  expect(text($(page, 'title'))).toContain("<script>window.__pwned = 'title'</script>");
  expect($(page, 'h1 b, h1 script')).toBeUndefined();
});

test('a hostile summary stays inside its attributes', () => {
  const summary = `A summary with "><img src=x onerror="window.__pwned='summary'"> and <script>window.__pwned='summary'</script> in it.`;
  expect(attr($(page, 'meta[name="description"]'), 'content')).toBe(summary);
  expect(attr($(page, 'meta[property="og:description"]'), 'content')).toBe(summary);
  expect($$(page, 'img')).toHaveLength(0);
});

test('hostile HTML, JSX and expressions in the body are shown as the text typed', () => {
  const answer = text($(page, '.answer'));
  expect(answer).toContain("<script>window.__pwned = 'body'</script>");
  expect(answer).toContain(`<img src="x" onError="window.__pwned = 'img'" />`);
  expect(answer).toContain("{window.__pwned = 'expression'}");
  expect(answer).toContain('<span>HTML</span>');
  expect($(page, '.answer strong')).toBeDefined();
  expect($$(page, '.answer script, .answer img')).toHaveLength(0);
  expect($$(page, '.answer span').filter((span) => text(span) === 'HTML')).toHaveLength(0);
});

test('the only scripts are the page script, the escaped structured data and the study island', () => {
  const scripts = $$(page, 'script');
  expect(scripts.map((script) => attr(script, 'type') ?? 'inline')).toEqual([
    'application/ld+json',
    'module',
    'inline',
  ]);
  expect(attr(scripts[1], 'src')).toMatch(/^\/islands\/study-question\.[0-9a-f]{10}\.js$/);
  expect(page.html).not.toMatch(/<\/script>[^<]*window\.__pwned/);
  const structured = JSON.parse(text(scripts[0]));
  expect(structured.mainEntity.name).toContain('<script>');
});
