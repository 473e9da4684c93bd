import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadQuestions } from '../support/questions';
import { findTorch, pythonWithTorch } from '../support/python';
import { requireToolOrSkip } from '../support/skip';

const samples = loadQuestions().flatMap((question) =>
  question.files.filter((file) => file.endsWith('.py')).map((file) => join(question.dir, file)),
);
const torch = findTorch();
const canRun = requireToolOrSkip(torch.ok, torch.ok ? '' : torch.reason);

function python(args: string[]) {
  return spawnSync(pythonWithTorch, args, {
    encoding: 'utf8',
    // Generous: samples take 1-3 s; this only stops a hung sample from hanging the suite.
    timeout: 120_000,
    env: {
      ...process.env,
      PYTHONDONTWRITEBYTECODE: '1',
      PYTHONHASHSEED: '0',
      CUDA_VISIBLE_DEVICES: '',
    },
  });
}

test('there are Python samples to test', () => {
  expect(samples.length).toBeGreaterThan(0);
});

describe.skipIf(!canRun).each(samples.map((file) => [relative('content/questions', file), file]))(
  'Python sample %s',
  (_name, file) => {
    test('compiles', () => {
      const result = python([
        '-c',
        'import ast, sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])',
        file,
      ]);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    });

    if (!file.endsWith('_hf.py')) {
      test('runs and passes its own checks', () => {
        const result = python([file]);
        expect(result.error, 'the sample did not finish').toBeUndefined();
        expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
        expect(result.stdout.trim().length, 'a sample prints what it checked').toBeGreaterThan(0);
      });
    }
  },
);
