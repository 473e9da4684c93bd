import { expect, test } from 'vitest';
import { findEmbeddedFileReferences, isPlainFileName } from '../../src/utils/embedded-files';

test('finds CodeSample and Diagram references in an MDX body', () => {
  const body = `Text\n\n<CodeSample file="attention.py" />\n\n<Diagram title="T" file='stack.svg' />\n<Other file="x.py" />`;
  expect(findEmbeddedFileReferences(body)).toEqual([
    { component: 'CodeSample', file: 'attention.py' },
    { component: 'Diagram', file: 'stack.svg' },
  ]);
});

test('only plain file names in the question folder are allowed', () => {
  expect(isPlainFileName('beam_search.py')).toBe(true);
  expect(isPlainFileName('../secrets.py')).toBe(false);
  expect(isPlainFileName('/etc/passwd')).toBe(false);
  expect(isPlainFileName('.hidden.py')).toBe(false);
});
