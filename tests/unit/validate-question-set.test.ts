import { expect, test } from 'vitest';
import { validateQuestionSet } from '../../src/utils/validate-question-set';

const q = (filePath: string, number: number, related: number[] = []) => ({
  filePath,
  number,
  related,
});

test('a consistent set has no problems', () => {
  expect(
    validateQuestionSet([q('c/01-a/index.mdx', 1, [2]), q('c/02-b/index.mdx', 2, [1])]),
  ).toEqual([]);
});

test('names the file and field for each problem', () => {
  const problems = validateQuestionSet([
    q('c/01-a/index.mdx', 1, [9]),
    q('c/02-b/index.mdx', 1),
    q('c/bad/index.mdx', 3, [3]),
  ]);
  expect(problems).toEqual([
    'c/02-b/index.mdx: field "number" is 1 but the folder says 2',
    'c/02-b/index.mdx: field "number" 1 is already used by c/01-a/index.mdx',
    'c/bad/index.mdx: folder "bad" must be named <NN>-<slug>, e.g. 12-attention-mechanisms',
    'c/01-a/index.mdx: field "related" names question 9, which does not exist',
    'c/bad/index.mdx: field "related" lists the question itself (3)',
  ]);
});

test('reports the same problems whatever order the files come in', () => {
  const a = q('c/12-a/index.mdx', 12);
  const b = q('c/13-b/index.mdx', 12);
  expect(validateQuestionSet([b, a])).toEqual(validateQuestionSet([a, b]));
  expect(validateQuestionSet([b, a])).toContain(
    'c/13-b/index.mdx: field "number" 12 is already used by c/12-a/index.mdx',
  );
});
