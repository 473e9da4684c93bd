import { expect, test } from 'vitest';
import { extractSection, listSections, markdownToPlainText } from '../../src/utils/answer-sections';

const body = `## Short answer

Attention is a **weighted** average: $a_i$ of [values](q:2).

## Deep dive

\`\`\`python
## not a heading
\`\`\`

### Sub

Text.

## References

- One.
`;

test('lists h2 sections in order, ignoring fenced code', () => {
  expect(listSections(body)).toEqual(['Short answer', 'Deep dive', 'References']);
});

test('extracts one section up to the next h2', () => {
  expect(extractSection(body, 'Short answer')).toBe(
    'Attention is a **weighted** average: $a_i$ of [values](q:2).',
  );
  expect(extractSection(body, 'Deep dive')).toContain('### Sub');
  expect(extractSection(body, 'Missing')).toBeUndefined();
});

test('turns Markdown into plain text', () => {
  expect(markdownToPlainText('Attention is a **weighted** average: $a_i$ of [values](q:2).')).toBe(
    'Attention is a weighted average: a_i of values.',
  );
});
