import { describe, expect, test } from 'vitest';
import { answerShapeChecks } from '../../src/utils/answer-shape';
import { loadQuestions } from '../support/questions';

const published = loadQuestions().filter((question) => question.data.status === 'published');

test('at least one answer is published', () => {
  expect(published.length).toBeGreaterThan(0);
});

describe.each(published.map((question) => [question.data.number, question] as const))(
  'published answer %i',
  (_number, question) => {
    const answer = { body: question.body, topic: question.data.topic, files: question.files };
    test.each(Object.entries(answerShapeChecks))('%s', (_rule, check) => {
      expect(check(answer)).toEqual([]);
    });

    test('has related questions', () => {
      expect(question.data.related.length).toBeGreaterThan(0);
    });
  },
);
