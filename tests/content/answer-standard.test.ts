import { describe, expect, test } from 'vitest';
import { codeSection, extractSection, listSections, markdownToPlainText, requiredSections } from '../../src/utils/answer-sections';
import { countWords } from '../../src/utils/count-words';
import { findEmbeddedFileReferences } from '../../src/utils/embedded-files';
import { loadQuestions } from '../support/questions';

const published = loadQuestions().filter((question) => question.data.status === 'published');

/** Prose only: code fences, embeds, tables' pipes and math blocks do not count as words. */
function proseWords(body: string): number {
  const prose = body
    .replace(/^```[\s\S]*?^```/gm, ' ')
    .replace(/\$\$[\s\S]*?\$\$/g, ' ')
    .replace(/^## References[\s\S]*?(?=^## |$(?![\s\S]))/m, ' ');
  return countWords(markdownToPlainText(prose));
}

test('at least one answer is published', () => {
  expect(published.length).toBeGreaterThan(0);
});

describe.each(published.map((question) => [question.data.number, question] as const))(
  'published answer %i',
  (_number, question) => {
    const sections = listSections(question.body);

    test('has the standard sections, in order', () => {
      const expected = sections.includes(codeSection)
        ? ['Short answer', 'Deep dive', codeSection, 'Follow-up questions', 'Common mistakes', 'References']
        : [...requiredSections];
      expect(sections).toEqual(expected);
    });

    test('the short answer is 80-180 words', () => {
      const words = countWords(markdownToPlainText(extractSection(question.body, 'Short answer') ?? ''));
      expect(words).toBeGreaterThanOrEqual(80);
      expect(words).toBeLessThanOrEqual(180);
    });

    test('the prose is a full answer, not a stub nor a book chapter', () => {
      const words = proseWords(question.body);
      expect(words).toBeGreaterThanOrEqual(question.data.topic === 'coding' ? 400 : 650);
      expect(words).toBeLessThanOrEqual(2200);
    });

    test('has 3-5 follow-up questions, each with an answer', () => {
      const followUps = extractSection(question.body, 'Follow-up questions') ?? '';
      const headings = followUps.match(/^### .+$/gm) ?? [];
      expect(headings.length).toBeGreaterThanOrEqual(3);
      expect(headings.length).toBeLessThanOrEqual(5);
      for (const part of followUps.split(/^### .+$/m).slice(1)) {
        expect(countWords(markdownToPlainText(part)), 'a follow-up answer').toBeGreaterThanOrEqual(15);
      }
    });

    test('lists common mistakes', () => {
      const mistakes = extractSection(question.body, 'Common mistakes') ?? '';
      expect((mistakes.match(/^- /gm) ?? []).length).toBeGreaterThanOrEqual(3);
    });

    test('cites primary sources: papers with arXiv ids or DOIs, or official documentation links', () => {
      const references = (extractSection(question.body, 'References') ?? '').match(/^- .+$/gm) ?? [];
      expect(references.length).toBeGreaterThanOrEqual(2);
      for (const reference of references) {
        expect(reference, 'a reference needs an arXiv id, a DOI, a link or a venue and year').toMatch(
          /arXiv:\d{4}\.\d{4,5}|doi\.org|10\.\d{4,}\/|https:\/\/|\(\d{4}\)/,
        );
      }
    });

    test('has related questions', () => {
      expect(question.data.related.length).toBeGreaterThan(0);
    });

    test('shows every code file and diagram in its folder, and embeds only files that exist', () => {
      const embedded = findEmbeddedFileReferences(question.body).map((reference) => reference.file);
      expect([...embedded].sort()).toEqual([...new Set(embedded)].sort());
      const shown = question.files.filter((file) => /\.(py|svg)$/.test(file));
      expect([...shown].sort()).toEqual([...new Set(embedded)].sort());
    });

    test('pairs every Hugging Face sample with a runnable from-scratch one', () => {
      const python = question.files.filter((file) => file.endsWith('.py'));
      if (python.some((file) => file.endsWith('_hf.py'))) {
        expect(python.some((file) => !file.endsWith('_hf.py'))).toBe(true);
      }
    });

    if (question.data.topic === 'coding') {
      test('a coding question has code that runs', () => {
        expect(sections).toContain(codeSection);
        expect(question.files.some((file) => file.endsWith('.py') && !file.endsWith('_hf.py'))).toBe(true);
      });
    }
  },
);
