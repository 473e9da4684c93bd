import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runAstro } from '../support/astro-cli';

const fixtures = 'tests/fixtures/bad-content';

/** Runs `astro sync` (what `astro build` does first) on a fixture folder of questions. */
async function syncFixture(name: string): Promise<{ status: number | null; output: string }> {
  const cacheDir = mkdtempSync(join(tmpdir(), 'astro-cache-'));
  try {
    return await runAstro(['sync'], {
      QUESTIONS_DIR: join(fixtures, name),
      ASTRO_CACHE_DIR: cacheDir,
    });
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

// Each case: the fixture, and what the error must say (the file, and the field or reference).
const cases: [string, RegExp[]][] = [
  [
    'malformed-frontmatter',
    [/malformed-frontmatter\/12-attention\/index\.mdx:\d+/, /double quoted scalar/],
  ],
  [
    'missing-field',
    [/missing-field\/12-attention\/index\.mdx/, /summary\*\*: \*\*summary: Required/],
  ],
  [
    'unknown-topic',
    [
      /unknown-topic\/12-attention\/index\.mdx/,
      /topic\*\*: \*\*topic: Invalid enum value.*received 'astrology'/,
    ],
  ],
  [
    'duplicate-number',
    [
      /13-positional-encodings\/index\.mdx: field "number" 12 is already used by .*12-attention\/index\.mdx/,
    ],
  ],
  [
    'unknown-related',
    [
      /unknown-related\/12-attention\/index\.mdx: field "related" names question 40, which does not exist/,
    ],
  ],
  [
    'missing-code-file',
    [
      /missing-code-file\/12-attention\/index\.mdx: <CodeSample file="attention\.py">: no such file beside the question/,
    ],
  ],
];

describe.each(cases)('bad input: %s', (name, messages) => {
  test('fails the build with a message naming the file and the field', async () => {
    const { status, output } = await syncFixture(name);
    expect(status).not.toBe(0);
    for (const message of messages) expect(output).toMatch(message);
  });
});
