import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { labs } from '../../src/data/labs';
import { builds } from '../support/builds';
import { $$, attr, readPage } from '../support/html';
import { loadQuestions } from '../support/questions';

const questions = loadQuestions();
const published = questions.filter((question) => question.data.status === 'published');

describe('lab data', () => {
  test.each(labs.map((lab) => [lab.id, lab] as const))(
    '%s serves published questions only, each once',
    (_id, lab) => {
      expect(lab.questions.length).toBeGreaterThan(0);
      expect(new Set(lab.questions).size).toBe(lab.questions.length);
      for (const number of lab.questions)
        expect(published.map((question) => question.data.number)).toContain(number);
    },
  );
});

describe.each(builds.map((build) => [build.name, build] as const))(
  '%s build',
  (_name, { outDir, base }) => {
    const hrefs = (file: string) =>
      $$(readPage(outDir, base, file), 'main a[href]').map((link) => attr(link, 'href'));

    test('the labs index links every lab, and the header links the index on every page', () => {
      const index = join(outDir, 'labs', 'index.html');
      for (const lab of labs) expect(hrefs(index)).toContain(`${base}labs/${lab.id}/`);
      const home = readPage(outDir, base, join(outDir, 'index.html'));
      expect($$(home, 'header nav a').map((link) => attr(link, 'href'))).toContain(`${base}labs/`);
    });

    describe.each(labs.map((lab) => [lab.id, lab] as const))('lab %s', (_id, lab) => {
      const file = join(outDir, 'labs', lab.id, 'index.html');

      test('has its own page that works without JavaScript: a worked example and a noscript note', () => {
        expect(existsSync(file)).toBe(true);
        const html = readFileSync(file, 'utf8');
        expect(html).toContain('<noscript>');
        // The worked example is static HTML: a table of computed figures, not an empty shell.
        expect($$(readPage(outDir, base, file), 'main table td').length).toBeGreaterThan(3);
      });

      test('links to each question it serves, and each question links back', () => {
        for (const number of lab.questions) {
          const question = published.find((candidate) => candidate.data.number === number)!;
          expect(hrefs(file)).toContain(`${base}questions/${question.slug}/`);
          const questionFile = join(outDir, 'questions', question.slug, 'index.html');
          expect(hrefs(questionFile)).toContain(`${base}labs/${lab.id}/`);
        }
      });

      test('loads its own island and no other', () => {
        const scripts = $$(readPage(outDir, base, file), 'script[src]').map((script) =>
          attr(script, 'src'),
        );
        expect(scripts).toHaveLength(1);
        expect(scripts[0]).toMatch(
          new RegExp(`^${base}islands/lab-${lab.id}\\.[0-9a-f]{10}\\.js$`),
        );
      });
    });

    test('questions no lab serves do not show a lab section', () => {
      const served = new Set(labs.flatMap((lab) => lab.questions));
      for (const question of published.filter((q) => !served.has(q.data.number))) {
        const questionFile = join(outDir, 'questions', question.slug, 'index.html');
        expect(hrefs(questionFile).some((href) => href?.startsWith(`${base}labs/`))).toBe(false);
      }
    });
  },
);
