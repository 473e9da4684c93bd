import { expect, test } from 'vitest';
import { answerShapeProblems, proseWords } from '../../src/utils/answer-shape';

const words = (count: number, word = 'word') => Array.from({ length: count }, () => word).join(' ');

function answer(overrides: Partial<Record<string, string>> = {}) {
  const sections = {
    'Short answer': words(100),
    'Deep dive': words(700),
    'Follow-up questions': [1, 2, 3].map((n) => `### Question ${n}?\n\n${words(20)}`).join('\n\n'),
    'Common mistakes': '- **One.** a\n- **Two.** b\n- **Three.** c',
    References:
      '- Vaswani, A. et al. (2017). *Attention Is All You Need*. arXiv:1706.03762.\n- [Docs](https://pytorch.org/docs/)',
    ...overrides,
  };
  return Object.entries(sections)
    .map(([heading, text]) => `## ${heading}\n\n${text}`)
    .join('\n\n');
}

test('a well-formed answer has no problems', () => {
  expect(
    answerShapeProblems({ body: answer(), data: { topic: 'architecture' }, files: [] }),
  ).toEqual([]);
});

test('each broken rule is named with its figure', () => {
  const body = answer({ 'Short answer': words(20), 'Common mistakes': '- only one' });
  const problems = answerShapeProblems({ body, data: { topic: 'architecture' }, files: ['x.py'] });
  expect(problems).toContain(
    'the short answer is 80-180 words: short answer has 20 words, expected 80-180',
  );
  expect(problems).toContain('lists common mistakes: 1 common mistakes, expected at least 3');
  expect(problems.some((problem) => problem.includes('x.py is in the folder but not shown'))).toBe(
    true,
  );
});

test('a coding answer needs a runnable sample, and a Hugging Face sample needs a partner', () => {
  const problems = answerShapeProblems({
    body: answer(),
    data: { topic: 'coding' },
    files: ['a_hf.py'],
  });
  expect(problems.join('\n')).toMatch(/no ## Code section/);
  expect(problems.join('\n')).toMatch(/no runnable \.py sample/);
  expect(problems.join('\n')).toMatch(/needs a runnable from-scratch sample/);
});

test('references without an id, link or year are refused', () => {
  const body = answer({ References: '- Some blog\n- Another blog' });
  expect(answerShapeProblems({ body, data: { topic: 'training' }, files: [] }).join('\n')).toMatch(
    /reference needs an arXiv id/,
  );
});

test('prose words leave out code, display math and references', () => {
  expect(
    proseWords('one two\n\n```py\nx = 1\n```\n\n$$a+b$$\n\n## References\n\n- three four'),
  ).toBe(2);
});

test('a table whose header has an empty cell is refused', () => {
  const body = answer({ 'Deep dive': `${words(700)}\n\n| | A |\n| --- | --- |\n| x | y |` });
  expect(answerShapeProblems({ body, data: { topic: 'training' }, files: [] }).join('\n')).toMatch(
    /a table header has an empty cell/,
  );
});
