import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Element, ElementContent, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { siteTitle, siteUrl } from '../../src/data/site';
import { topics } from '../../src/data/topics';
import { builds } from '../support/builds';
import { $, $$, attr, readPage } from '../support/html';
import { loadQuestions } from '../support/questions';

const published = loadQuestions()
  .filter((question) => question.data.status === 'published')
  .sort((a, b) => a.data.number - b.data.number);

/** One field of a line, read back the way Anki reads it: quoted fields lose their quotes. */
function unquote(field: string): string {
  if (!field.startsWith('"')) {
    expect(field, 'an unquoted field holds no double quote').not.toContain('"');
    return field;
  }
  expect(field.endsWith('"'), field).toBe(true);
  const inner = field.slice(1, -1);
  expect(inner.replace(/""/g, ''), 'quotes inside are doubled').not.toContain('"');
  return inner.replace(/""/g, '"');
}

/** Text as a reader sees it, with math as its TeX in Anki's delimiters. */
function readable(node: Root | ElementContent): string {
  if (node.type === 'text') return node.value;
  if (node.type === 'element' && node.tagName === 'math') {
    const tex = $(node, 'annotation') as Element | undefined;
    const source = tex ? readable(tex) : '';
    return node.properties.display === 'block' ? `\\[${source}\\]` : `\\(${source}\\)`;
  }
  if (node.type === 'element' || node.type === 'root')
    return node.children.map((child) => readable(child as ElementContent)).join('');
  return '';
}
const normalized = (value: string) => value.replace(/\s+/g, ' ').trim();

/** The short answer on a question's page: the paragraphs between its heading and the next. */
function pageShortAnswer(outDir: string, base: string, slug: string): string {
  const page = readPage(outDir, base, join(outDir, 'questions', slug, 'index.html'));
  const answer = $(page, 'article.answer')!;
  const blocks = answer.children.filter((child): child is Element => child.type === 'element');
  const start = blocks.findIndex((block) => $(block, 'h2#short-answer'));
  const end = blocks.findIndex((block, index) => index > start && $(block, 'h2'));
  return normalized(
    blocks
      .slice(start + 1, end)
      .map(readable)
      .join(' '),
  );
}

describe.each(builds.map((build) => [build.name, build] as const))(
  '%s build, the flashcard deck',
  (_name, { outDir, base }) => {
    const file = readFileSync(join(outDir, 'flashcards.txt'), 'utf8');
    const lines = file.split('\n');
    const headers = lines.filter((line) => line.startsWith('#'));
    const rows = lines.filter((line) => line !== '' && !line.startsWith('#'));
    const site = new URL(base, siteUrl).href;

    test('starts with the headers Anki reads, and ends with a line break', () => {
      expect(lines.slice(0, headers.length)).toEqual(headers);
      expect(headers).toEqual(
        expect.arrayContaining([
          '#separator:Tab',
          '#html:true',
          '#notetype:Basic',
          '#columns:Front\tBack\tDeck\tTags',
          '#deck column:3',
          '#tags column:4',
        ]),
      );
      expect(file.endsWith('\n')).toBe(true);
      expect(file).not.toContain('\r');
    });

    test('has one line of four fields per published question, in order', () => {
      expect(rows).toHaveLength(published.length);
      for (const row of rows) expect(row.split('\t'), row.slice(0, 80)).toHaveLength(4);
    });

    describe.each(published.map((question, index) => [question.data.number, index] as const))(
      'question %i',
      (_number, index) => {
        const { data, slug } = published[index];
        const [front, back, deck, tags] = (rows[index] ?? '').split('\t').map(unquote);

        test('the front is its number and title', () => {
          const title = data.question.replace(/&/g, '&amp;').replace(/</g, '&lt;');
          expect(front).toBe(`${data.number}. ${title.replace(/"/g, '&quot;')}`);
        });

        test('the back is the short answer of its page, then its topic and a link to it', () => {
          const html = fromHtml(back, { fragment: true });
          const paragraphs = $$(html, 'p');
          const [about] = paragraphs.splice(-1, 1);
          const text = normalized(paragraphs.map(readable).join(' '));
          expect(text.split(' ').length).toBeGreaterThanOrEqual(60);
          expect(text).toBe(pageShortAnswer(outDir, base, slug));
          expect(readable(about)).toContain(topics.find((t) => t.id === data.topic)!.title);
          expect(attr($(about, 'a'), 'href')).toBe(`${site}questions/${slug}/`);
          for (const link of $$(html, 'a')) expect(attr(link, 'href')).toMatch(/^https?:\/\//);
        });

        test('it goes to the site’s deck, tagged with its topic and its tags, hyphenated', () => {
          expect(deck).toBe(siteTitle);
          const expected = [data.topic, ...data.tags].map((tag) => tag.replace(/\s+/g, '-'));
          expect(tags.split(' ')).toEqual([...new Set(expected)]);
        });
      },
    );
  },
);
