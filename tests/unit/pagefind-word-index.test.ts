import { describe, expect, test } from 'vitest';
import {
  boundaryPrefixes,
  chunkRanges,
  compareWords,
  groupEntries,
  readMeta,
  readWordChunk,
  writeMeta,
  writeWordChunk,
} from '../../src/utils/pagefind-word-index';

type Cbor = number | string | Cbor[];

/** A minimal CBOR encoder for the test's fixtures (small integers, text, arrays). */
function cbor(value: Cbor): number[] {
  const head = (major: number, n: number) =>
    n < 24
      ? [(major << 5) | n]
      : n < 256
        ? [(major << 5) | 24, n]
        : [(major << 5) | 25, n >> 8, n & 255];
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') {
    const bytes = [...new TextEncoder().encode(value)];
    return [...head(3, bytes.length), ...bytes];
  }
  return [...head(4, value.length), ...value.flatMap(cbor)];
}

const signed = (value: Cbor) =>
  Uint8Array.from([...new TextEncoder().encode('pagefind_dcd'), ...cbor(value)]);

/** Word entries as Pagefind 1.x writes them: [word, [[page, [positions]]], [variants]]. */
const words: Cbor[] = [
  [
    'apple',
    [
      [1, [20, 40, 60]],
      [4, [3, 6, 9]],
    ],
    [],
  ],
  ['apricot', [[5, [-25, 45, 3432]]], []],
  ['banana', [[5, [100, 500, 900, 566]]], [['bananas', [[2, [7]]]]]],
  ['peach', [[5, [383, 2, 678]]], []],
];

describe('Pagefind word index chunks', () => {
  test('a chunk is read into its entries and written back byte for byte', () => {
    const chunk = signed([words]);
    const entries = readWordChunk(chunk, 'en_1.pf_index');
    expect(entries.map((entry) => entry.word)).toEqual(['apple', 'apricot', 'banana', 'peach']);
    expect([...entries[2].bytes]).toEqual(cbor(words[2]));
    expect([...writeWordChunk(entries)]).toEqual([...chunk]);
    expect([...writeWordChunk(entries.slice(1, 3))]).toEqual([...signed([words.slice(1, 3)])]);
  });

  test('malformed files are refused with the file named', () => {
    expect(() => readWordChunk(Uint8Array.from(cbor([words])), 'en_2.pf_index')).toThrow(
      /en_2\.pf_index: not a Pagefind file/,
    );
    expect(() => readWordChunk(signed([[[7, []]]]), 'en_3.pf_index')).toThrow(
      /en_3\.pf_index: expected a text string/,
    );
    const truncated = signed([words]).slice(0, -3);
    expect(() => readWordChunk(truncated, 'en_4.pf_index')).toThrow(/en_4\.pf_index: .*end/);
  });

  test('boundaries are the shortest distinct prefixes, as Pagefind writes them', () => {
    // The cases of Pagefind's own `common_prefix` test.
    expect(boundaryPrefixes('apple', 'apricot')).toEqual(['app', 'apr']);
    expect(boundaryPrefixes('cataraman', 'yacht')).toEqual(['c', 'y']);
    expect(boundaryPrefixes('cath', 'cathartic')).toEqual(['cath', 'catha']);
    expect(boundaryPrefixes('ñandú', 'ñu')).toEqual(['ña', 'ñu']);
  });

  test('entries are grouped under a byte limit, in order, a large entry alone', () => {
    const entries = readWordChunk(signed([words]), 'en_1.pf_index');
    const sizes = entries.map((entry) => entry.bytes.length);
    const groups = groupEntries(entries, sizes[0] + sizes[1]);
    expect(groups.flat()).toEqual(entries);
    for (const group of groups)
      if (group.length > 1)
        expect(group.reduce((sum, entry) => sum + entry.bytes.length, 0)).toBeLessThanOrEqual(
          sizes[0] + sizes[1],
        );
    expect(groups.map((group) => group.map((entry) => entry.word))).toEqual([
      ['apple', 'apricot'],
      ['banana'],
      ['peach'],
    ]);
    expect(groupEntries(entries, 1)).toHaveLength(4);
    expect(chunkRanges(groups)).toEqual([
      { from: 'apple', to: 'a' },
      { from: 'b', to: 'b' },
      { from: 'p', to: 'peach' },
    ]);
  });

  test('words are compared by their UTF-8 bytes, as Rust sorts strings', () => {
    expect(compareWords('a', 'b')).toBeLessThan(0);
    expect(compareWords('ab', 'a')).toBeGreaterThan(0);
    // U+FF5E sorts after U+1F600 in UTF-16 code units but before it in UTF-8 bytes.
    expect(compareWords('～', '😀')).toBeLessThan(0);
    expect('～' > '😀').toBe(true);
  });

  test('the metadata keeps every other field and lists the new chunks', () => {
    const fields: Cbor[] = [
      '1.6.0',
      [['en_9166727', 1964, '']],
      [['a', 'z', 'en_0a4aaf7']],
      [['topic', 'en_1b121a4']],
      [],
      ['title'],
    ];
    const meta = readMeta(signed(fields), 'pagefind.en_1.pf_meta');
    expect(meta.chunks).toEqual([{ from: 'a', to: 'z', hash: 'en_0a4aaf7' }]);
    const chunks = [
      { from: 'a', to: 'b', hash: 'en_1111111' },
      { from: 'c', to: 'z', hash: 'en_2222222' },
    ];
    const rewritten = writeMeta(meta, chunks);
    expect([...rewritten]).toEqual([
      ...signed([
        ...fields.slice(0, 2),
        chunks.map((c) => [c.from, c.to, c.hash]),
        ...fields.slice(3),
      ]),
    ]);
    expect(readMeta(rewritten, 'again').chunks).toEqual(chunks);
    expect(() => readMeta(signed(['1.6.0', []]), 'short.pf_meta')).toThrow(/short\.pf_meta/);
  });
});
