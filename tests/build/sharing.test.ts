import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { siteUrl } from '../../src/data/site';
import { builds } from '../support/builds';
import { $, attr, readPage, text } from '../support/html';
import { loadQuestions } from '../support/questions';

const published = loadQuestions().filter((question) => question.data.status === 'published');

describe.each(builds.map((build) => [build.name, build] as const))(
  '%s build',
  (_name, { outDir, base }) => {
    const site = new URL(base, siteUrl).href;

    describe.each(published.map((question) => [question.data.number, question] as const))(
      'question %i',
      (_number, question) => {
        const page = readPage(outDir, base, join(outDir, 'questions', question.slug, 'index.html'));
        const url = `${site}questions/${question.slug}/`;
        const meta = (selector: string) => attr($(page, selector), 'content');

        test('has a canonical URL and a meta description from its summary', () => {
          expect(attr($(page, 'link[rel="canonical"]'), 'href')).toBe(url);
          expect(meta('meta[name="description"]')).toBe(question.data.summary);
        });

        test('has Open Graph and Twitter card tags', () => {
          expect(meta('meta[property="og:title"]')).toBe(question.data.question);
          expect(meta('meta[property="og:description"]')).toBe(question.data.summary);
          expect(meta('meta[property="og:url"]')).toBe(url);
          expect(meta('meta[property="og:type"]')).toBe('article');
          expect(meta('meta[name="twitter:card"]')).toBe('summary');
          expect(meta('meta[name="twitter:title"]')).toBe(question.data.question);
          expect(meta('meta[name="twitter:description"]')).toBe(question.data.summary);
        });

        test('describes itself as a question with an accepted answer', () => {
          const data = JSON.parse(text($(page, 'script[type="application/ld+json"]')));
          expect(data['@type']).toBe('QAPage');
          expect(data.mainEntity['@type']).toBe('Question');
          expect(data.mainEntity.name).toBe(question.data.question);
          expect(data.mainEntity.acceptedAnswer['@type']).toBe('Answer');
          expect(data.mainEntity.acceptedAnswer.url).toBe(url);
          expect(data.mainEntity.acceptedAnswer.text.split(' ').length).toBeGreaterThanOrEqual(60);
        });
      },
    );

    test('the sitemap lists home, topics and every published answer, and only pages that exist', () => {
      const sitemap = readFileSync(join(outDir, 'sitemap.xml'), 'utf8');
      const locs = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((match) => match[1]);
      expect(locs).toContain(site);
      for (const question of published)
        expect(locs).toContain(`${site}questions/${question.slug}/`);
      for (const loc of locs) {
        expect(loc.startsWith(site)).toBe(true);
        const path = loc.slice(site.length);
        expect(() => readFileSync(join(outDir, path, 'index.html')), loc).not.toThrow();
      }
    });

    test('robots.txt points at the sitemap', () => {
      expect(readFileSync(join(outDir, 'robots.txt'), 'utf8')).toContain(
        `Sitemap: ${site}sitemap.xml`,
      );
    });
  },
);
