import { expect, test } from 'vitest';
import { folderOfEntryPath, parseQuestionFolder } from '../../src/utils/question-folder';

test('parses number and slug from a folder name', () => {
  expect(parseQuestionFolder('12-attention-mechanisms')).toEqual({
    number: 12,
    slug: 'attention-mechanisms',
  });
  expect(parseQuestionFolder('05-domain-specific-llms')).toEqual({
    number: 5,
    slug: 'domain-specific-llms',
  });
});

test('rejects names that do not fit <NN>-<slug>', () => {
  for (const name of [
    '12_attention',
    '1-attention',
    '12-Attention',
    '12-',
    'attention',
    '12-a--b',
    '123-x',
  ]) {
    expect(parseQuestionFolder(name), name).toBeUndefined();
  }
});

test('finds the folder of an entry path', () => {
  expect(folderOfEntryPath('12-attention/index.mdx')).toBe('12-attention');
  expect(folderOfEntryPath('content/questions/12-attention/index.mdx')).toBe('12-attention');
  expect(folderOfEntryPath('C:\\q\\07-x\\index.mdx')).toBe('07-x');
});
