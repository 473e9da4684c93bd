import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { compareWords, readMeta, readWordChunk } from '../../src/utils/pagefind-word-index';
import { topics } from '../../src/data/topics';
import { builds } from '../support/builds';
import { $, $$, attr, readPage, text } from '../support/html';
import { loadQuestions } from '../support/questions';

const questions = loadQuestions();
const published = questions.filter((question) => question.data.status === 'published');
const drafts = questions.filter((question) => question.data.status === 'draft');

describe.each(builds.map((build) => [build.name, build] as const))(
  '%s build',
  (_name, { outDir, base }) => {
    const page = (path: string) => readPage(outDir, base, join(outDir, path, 'index.html'));

    describe('home page', () => {
      const home = page('');

      test('lists all 75 questions in order, each with its topic and difficulty', () => {
        const items = $$(home, '#all-questions-heading ~ ol > li');
        expect(items.map((item) => attr(item, 'value'))).toEqual(
          questions.map((q) => String(q.data.number)),
        );
        for (const [index, item] of items.entries()) {
          expect(text(item)).toContain(questions[index].data.question);
          expect(text($(item, '.badge'))).toMatch(/Foundational|Intermediate|Advanced/);
        }
      });

      test('links published answers and marks drafts as in progress, unlinked', () => {
        const items = $$(home, '#all-questions-heading ~ ol > li');
        for (const [index, item] of items.entries()) {
          const question = questions[index];
          const link = $(item, 'a.question-list__title');
          if (question.data.status === 'published') {
            expect(attr(link, 'href')).toBe(`${base}questions/${question.slug}/`);
          } else {
            expect(link).toBeUndefined();
            expect(text(item)).toContain('answer in progress');
          }
        }
      });

      test('shows every topic with its count', () => {
        for (const topic of topics) {
          const count = questions.filter((question) => question.data.topic === topic.id).length;
          const card = $$(home, '.topic-grid__item').find((item) =>
            text(item).startsWith(topic.title),
          );
          expect(card, topic.id).toBeDefined();
          expect(text(card)).toContain(`${count} questions`);
        }
      });
    });

    describe('topic pages', () => {
      test.each(topics.map((topic) => [topic.id, topic]))(
        '%s lists exactly its questions',
        (id, topic) => {
          const topicPage = page(`topics/${id}/`);
          expect(text($(topicPage, 'h1'))).toBe(topic.title);
          const expected = questions
            .filter((question) => question.data.topic === id)
            .map((q) => q.data.question);
          const listed = $$(topicPage, '.question-list__title').map((title) =>
            text(title).replace(' answer in progress', ''),
          );
          expect(listed).toEqual(expected);
        },
      );
    });

    describe.each(published.map((question) => [question.data.number, question] as const))(
      'question page %i',
      (_number, question) => {
        const questionPage = page(`questions/${question.slug}/`);

        test('has the question as its only h1, and its number, topic, difficulty and tags', () => {
          expect($$(questionPage, 'h1').map(text)).toEqual([question.data.question]);
          const header = text($(questionPage, '.question-header'));
          expect(header).toContain(`Question ${question.data.number}`);
          expect(header).toContain(topics.find((topic) => topic.id === question.data.topic)!.title);
          for (const tag of question.data.tags) expect(header).toContain(tag);
        });

        test('describes itself with its summary and a canonical URL', () => {
          expect(attr($(questionPage, 'meta[name="description"]'), 'content')).toBe(
            question.data.summary,
          );
          expect(attr($(questionPage, 'link[rel="canonical"]'), 'href')).toMatch(
            new RegExp(`/questions/${question.slug}/$`),
          );
        });

        test('only the title and the answer are indexed for search, and the filters are in the head', () => {
          const bodies = $$(questionPage, '[data-pagefind-body]');
          expect(bodies).toHaveLength(2);
          expect(text($(bodies[0], 'h1'))).toBe(question.data.question);
          expect(attr(bodies[1], 'className')).toContain('answer');
          for (const body of bodies) {
            expect($(body, 'nav, .related, .prev-next, header.site-header, .toc')).toBeUndefined();
          }
          expect(
            $$(questionPage, 'head meta[data-pagefind-filter]').map((meta) =>
              attr(meta, 'dataPagefindFilter'),
            ),
          ).toEqual(['topic[content]', 'difficulty[content]']);
        });

        test('shows each code sample exactly as its file', () => {
          for (const figure of $$(questionPage, 'figure[data-sample]')) {
            const file = attr(figure, 'dataSample')!;
            const source = readFileSync(join(question.dir, file), 'utf8');
            expect(text($(figure, 'pre'))).toBe(source.replace(/\s+/g, ' ').trim());
            expect($(figure, 'button[data-copy="code"]')).toBeDefined();
          }
          const embedded = (question.body.match(/<CodeSample\b/g) ?? []).length;
          expect($$(questionPage, 'figure[data-sample]')).toHaveLength(embedded);
        });

        test('highlights code for both themes', () => {
          for (const pre of $$(questionPage, 'figure[data-sample] pre')) {
            expect(attr(pre, 'style')).toMatch(/--shiki-light.*--shiki-dark/);
          }
        });

        test('renders math as MathML at build time, with its TeX source kept out of the index', () => {
          if (!/\$[^$\s]/.test(question.body)) return;
          expect($(questionPage, '.answer math')).toBeDefined();
          for (const annotation of $$(questionPage, 'annotation'))
            expect(attr(annotation, 'dataPagefindIgnore')).toBeDefined();
        });

        test('has heading anchors, related questions, previous/next links and a way to share', () => {
          for (const heading of $$(questionPage, '.answer h2')) {
            expect(
              attr($(questionPage, `a.heading-anchor[href="#${attr(heading, 'id')}"]`), 'href'),
            ).toBeDefined();
          }
          expect($$(questionPage, '.related li')).toHaveLength(question.data.related.length);
          expect($(questionPage, 'nav.prev-next')).toBeDefined();
          expect(attr($(questionPage, 'button[data-copy="link"]'), 'dataCopyValue')).toMatch(
            /^https?:\/\/.+\/questions\//,
          );
          expect(attr($(questionPage, '.question-header__share a'), 'href')).toBe(
            `${base}q/${question.data.number}/`,
          );
        });

        test('loads one script file, the deferred study island, besides the inline page script', () => {
          const files = $$(questionPage, 'script[src]');
          expect(files).toHaveLength(1);
          expect(attr(files[0], 'type')).toBe('module');
          expect(attr(files[0], 'src')).toMatch(
            new RegExp(`^${base}islands/study-question\\.[0-9a-f]{10}\\.js$`),
          );
          expect(
            $$(questionPage, 'script:not([src])').map((script) => attr(script, 'type') ?? 'inline'),
          ).toEqual(['application/ld+json', 'inline']);
        });

        test('the short link redirects to the page, with a canonical link', () => {
          const short = page(`q/${question.data.number}/`);
          const target = `${base}questions/${question.slug}/`;
          expect(attr($(short, 'meta[http-equiv="refresh"]'), 'content')).toBe(`0;url=${target}`);
          expect(attr($(short, 'link[rel="canonical"]'), 'href')).toMatch(new RegExp(`${target}$`));
          expect(attr($(short, 'body a'), 'href')).toBe(target);
        });
      },
    );

    test('drafts get no page and no short link', () => {
      for (const question of drafts) {
        expect(existsSync(join(outDir, 'questions', question.slug)), question.slug).toBe(false);
        expect(
          existsSync(join(outDir, 'q', String(question.data.number))),
          `q/${question.data.number}`,
        ).toBe(false);
      }
    });

    test('the search page, the 404 page and the search index are built', () => {
      expect($(page('search/'), 'input[data-search-input]')).toBeDefined();
      expect(text($(readPage(outDir, base, join(outDir, '404.html')), 'h1'))).toBe(
        'Page not found',
      );
      const entry = JSON.parse(readFileSync(join(outDir, 'pagefind/pagefind-entry.json'), 'utf8'));
      expect(entry.languages.en.page_count).toBe(published.length);
    });

    test('the word index is split into small chunks that cover every word, in order', () => {
      const dir = join(outDir, 'pagefind');
      const entry = JSON.parse(readFileSync(join(dir, 'pagefind-entry.json'), 'utf8'));
      const metaFile = `pagefind.${entry.languages.en.hash}.pf_meta`;
      expect(readdirSync(dir).filter((file) => file.endsWith('.pf_meta'))).toEqual([metaFile]);
      const { chunks } = readMeta(gunzipSync(readFileSync(join(dir, metaFile))), metaFile);
      expect(readdirSync(join(dir, 'index')).sort()).toEqual(
        chunks.map((chunk) => `${chunk.hash}.pf_index`).sort(),
      );
      // Pagefind alone writes about 14 chunks of about 32 KB here.
      expect(chunks.length).toBeGreaterThan(40);
      let previous = '';
      for (const chunk of chunks) {
        const file = join(dir, 'index', `${chunk.hash}.pf_index`);
        expect(statSync(file).size, file).toBeLessThan(8 * 1024);
        const words = readWordChunk(gunzipSync(readFileSync(file)), file).map((e) => e.word);
        expect(compareWords(previous, words[0]), file).toBeLessThan(0);
        // Pagefind sends a word to the chunk whose range holds it, or whose boundary prefix
        // it starts with (the last word of a chunk).
        expect(compareWords(chunk.from, words[0]), file).toBeLessThanOrEqual(0);
        expect(
          compareWords(words.at(-1)!, chunk.to) <= 0 || words.at(-1)!.startsWith(chunk.to),
        ).toBe(true);
        previous = words.at(-1)!;
      }
    });
  },
);
