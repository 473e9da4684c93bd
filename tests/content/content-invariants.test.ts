import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { topics } from '../../src/data/topics';
import { wordingFixes } from '../../src/data/wording-fixes';
import { loadQuestions, loadSeedQuestions } from '../support/questions';

const questions = loadQuestions();
const seed = loadSeedQuestions();

/** The primary topic of each question, as the site's plan assigns them. */
const plannedTopics: Record<string, number[]> = {
  fundamentals: [1, 3, 17, 51, 53, 55],
  architecture: [2, 12, 13, 15, 16, 22, 52],
  'model-families': [4, 11, 18, 19, 20, 21],
  training: [14, 23, 24, 25, 26, 28, 33, 36, 37, 47, 73],
  adaptation: [5, 27, 42, 43, 54],
  'data-and-tokenization': [29, 30, 31, 32, 45],
  'embeddings-and-retrieval': [10, 44, 74, 75],
  evaluation: [40, 41, 59, 70, 71],
  production: [34, 35, 56, 57, 58, 72],
  'responsible-ai': [46, 48, 49, 50],
  applications: [6, 7, 8, 9, 60, 61, 62, 63, 64],
  coding: [38, 39, 65, 66, 67, 68, 69],
};

describe('the question set', () => {
  test('the seed list copy matches the shared original when it is present', () => {
    const shared = resolve('../shared/seed/000_0d1c49b67bf33890.txt');
    if (!existsSync(shared)) return;
    expect(readFileSync('tests/fixtures/seed-questions.txt', 'utf8')).toBe(readFileSync(shared, 'utf8'));
  });

  test('has 75 questions numbered 1 to 75, one folder each', () => {
    expect(seed.size).toBe(75);
    expect(questions.map((question) => question.data.number)).toEqual(Array.from({ length: 75 }, (_, i) => i + 1));
    for (const question of questions) {
      expect(question.folder.startsWith(String(question.data.number).padStart(2, '0') + '-'), question.folder).toBe(true);
    }
  });

  test('slugs are unique', () => {
    expect(new Set(questions.map((question) => question.slug)).size).toBe(75);
  });

  test('every title is the seed wording with only the listed typo fixes', () => {
    for (const question of questions) {
      let expected = seed.get(question.data.number)!;
      for (const fix of wordingFixes.filter((candidate) => candidate.number === question.data.number)) {
        expect(expected, `fix for ${fix.number} no longer matches the seed`).toContain(fix.from);
        expected = expected.replace(fix.from, fix.to);
      }
      expect(question.data.question, `question ${question.data.number}`).toBe(expected);
    }
  });

  test('every wording fix is small: a typo, not a rewrite', () => {
    for (const fix of wordingFixes) {
      expect(Math.abs(fix.to.length - fix.from.length), JSON.stringify(fix)).toBeLessThanOrEqual(4);
    }
  });

  test('each question has its planned primary topic and every topic has questions', () => {
    for (const topic of topics) {
      const numbers = questions.filter((question) => question.data.topic === topic.id).map((q) => q.data.number);
      expect(numbers, topic.id).toEqual(plannedTopics[topic.id]);
    }
  });

  test('related questions exist, are not the question itself, and link both ways', () => {
    const byNumber = new Map(questions.map((question) => [question.data.number, question]));
    for (const question of questions) {
      for (const related of question.data.related) {
        expect(related, `question ${question.data.number}`).not.toBe(question.data.number);
        const other = byNumber.get(related);
        expect(other, `question ${question.data.number} relates to ${related}`).toBeDefined();
        expect(other!.data.related, `question ${related} should list ${question.data.number} back`).toContain(
          question.data.number,
        );
      }
    }
  });

  test('drafts have complete frontmatter and no body yet', () => {
    for (const question of questions.filter((q) => q.data.status === 'draft')) {
      expect(question.data.related.length, `question ${question.data.number}`).toBeGreaterThan(0);
      expect(question.body.trim(), `question ${question.data.number} is a draft with a body`).toBe('');
    }
  });
});
