import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { siteUrl } from '../../src/data/site';
import { topics } from '../../src/data/topics';
import { getDifficultyTitle } from '../../src/data/difficulties';
import { builds } from '../support/builds';
import { $, $$, attr, readPage, text } from '../support/html';
import { loadQuestions } from '../support/questions';

const published = loadQuestions()
  .filter((question) => question.data.status === 'published')
  .sort((a, b) => a.data.number - b.data.number);

describe.each(builds.map((build) => [build.name, build] as const))(
  '%s build, the all-answers page',
  (_name, { outDir, base }) => {
    const page = readPage(outDir, base, join(outDir, 'all-answers', 'index.html'));
    const articles = $$(page, 'main article');

    test('holds every published answer once, in question order, each under its own title', () => {
      expect(articles.map((article) => attr(article, 'id'))).toEqual(
        published.map((question) => `q-${question.data.number}`),
      );
      articles.forEach((article, index) => {
        const { data, slug } = published[index];
        expect($$(article, 'h2').map(text)).toEqual([data.question]);
        const kicker = text($(article, '.all-answers__kicker'));
        expect(kicker).toContain(`Question ${data.number}`);
        expect(kicker).toContain(topics.find((topic) => topic.id === data.topic)!.title);
        expect(kicker).toContain(getDifficultyTitle(data.difficulty));
        expect(text($(article, '.all-answers__source'))).toContain(
          `${new URL(base, siteUrl).href}questions/${slug}/`,
        );
      });
    });

    test('each answer is the full answer of its page, its headings one level down', () => {
      articles.forEach((article, index) => {
        const { slug } = published[index];
        const own = readPage(outDir, base, join(outDir, 'questions', slug, 'index.html'));
        const answer = $(own, 'article.answer')!;
        const headings = (root: typeof answer, selector: string) => $$(root, selector).map(text);
        expect(headings($(article, '.answer')!, 'h3')).toEqual(headings(answer, 'h2'));
        expect(headings($(article, '.answer')!, 'h4')).toEqual(headings(answer, 'h3'));
        expect(text($(article, '.answer'))).toBe(text(answer));
      });
    });

    test('starts with contents that link to each answer in order', () => {
      const links = $$(page, '.all-answers__contents a');
      expect(links.map((link) => attr(link, 'href'))).toEqual(
        published.map((question) => `#q-${question.data.number}`),
      );
      expect(links.map(text)).toEqual(published.map((question) => question.data.question));
    });

    test('no id repeats, and every link within the page finds its target', () => {
      const ids = $$(page, '[id]').map((element) => attr(element, 'id'));
      const repeated = ids.filter((id, index) => ids.indexOf(id) !== index);
      expect(repeated).toEqual([]);
      const idSet = new Set(ids);
      const broken = $$(page, 'a[href^="#"]')
        .map((link) => attr(link, 'href')!)
        .filter((href) => !idSet.has(decodeURIComponent(href.slice(1))));
      expect(broken).toEqual([]);
    });

    test('links between answers stay on the page', () => {
      const toQuestionPages = $$(page, '.answer a[href]')
        .map((link) => attr(link, 'href')!)
        .filter((href) => href.startsWith(`${base}questions/`));
      expect(toQuestionPages).toEqual([]);
      // At least one answer links to another, so the rule above was put to the test.
      expect($$(page, '.answer a[href^="#q-"]:not(.heading-anchor)').length).toBeGreaterThan(0);
    });

    test('is kept out of web search and site search; the answers’ own pages are the originals', () => {
      expect(attr($(page, 'meta[name="robots"]'), 'content')).toBe('noindex');
      expect($(page, '[data-pagefind-body]')).toBeUndefined();
      const catalogue = readFileSync(join(outDir, 'pagefind', 'catalogue.json'), 'utf8');
      expect(catalogue).not.toContain('all-answers');
      expect(readFileSync(join(outDir, 'sitemap.xml'), 'utf8')).not.toContain('all-answers');
    });

    test('the home page links to it and to the flashcard deck', () => {
      const home = readPage(outDir, base, join(outDir, 'index.html'));
      const hrefs = $$(home, 'main a[href]').map((link) => attr(link, 'href'));
      expect(hrefs).toContain(`${base}all-answers/`);
      expect(hrefs).toContain(`${base}flashcards.txt`);
    });
  },
);
