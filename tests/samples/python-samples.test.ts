import { execFile } from 'node:child_process';
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

/** Runs Python asynchronously, so the test worker stays responsive while a sample runs. */
function python(
  args: string[],
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      pythonWithTorch,
      args,
      {
        encoding: 'utf8',
        // Generous: samples take 1-3 s; this only stops a hung sample from hanging the suite.
        timeout: 120_000,
        env: {
          ...process.env,
          PYTHONDONTWRITEBYTECODE: '1',
          PYTHONHASHSEED: '0',
          CUDA_VISIBLE_DEVICES: '',
        },
      },
      (error, stdout, stderr) => {
        const status = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({
          status,
          stdout,
          // A sample killed by the timeout has no exit code: say why it stopped.
          stderr: status === null && error ? `${stderr}\n${error.message}` : stderr,
        });
      },
    );
  });
}

test('there are Python samples to test', () => {
  expect(samples.length).toBeGreaterThan(0);
});

describe.skipIf(!canRun).each(samples.map((file) => [relative('content/questions', file), file]))(
  'Python sample %s',
  (_name, file) => {
    test('compiles', async () => {
      const result = await python([
        '-c',
        'import ast, sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])',
        file,
      ]);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    });

    if (!file.endsWith('_hf.py')) {
      test('runs and passes its own checks', async () => {
        const result = await python([file]);
        expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
        expect(result.stdout.trim().length, 'a sample prints what it checked').toBeGreaterThan(0);
      });
    }
  },
);
