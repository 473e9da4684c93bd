/**
 * Re-splits Pagefind's word index into smaller chunks. Pagefind (1.x) cuts its index into chunks
 * of about 20,000 word positions, hard-coded in its indexer: on this site about 32 KB each, so a
 * search for one word costs 32 KB even though that word's entry is a few hundred bytes. Each
 * chunk is a sorted run of word entries and the metadata file names each chunk's first and last
 * word, so the same entries can be regrouped into smaller runs: the search then fetches only a
 * small chunk per word. Entries are copied byte for byte; only the grouping and the metadata's
 * list of chunks change, with the boundaries computed by Pagefind's own rule.
 *
 * The files are CBOR (RFC 8949) after a 12-byte signature; only the few CBOR forms Pagefind
 * writes are read here, and anything else is refused with the offset named.
 */

/** The text every decompressed Pagefind index and metadata file starts with. */
export const pagefindSignature = 'pagefind_dcd';

const signatureBytes = new TextEncoder().encode(pagefindSignature);
const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** One word's entry in a chunk: its text and its CBOR bytes, unchanged. */
export interface WordEntry {
  word: string;
  bytes: Uint8Array;
}

/** A chunk as the metadata lists it: the words it covers and its file's name. */
export interface ChunkRange {
  from: string;
  to: string;
  hash: string;
}

class CborReader {
  offset = 0;
  constructor(
    private readonly bytes: Uint8Array,
    private readonly file: string,
  ) {}

  fail(message: string): never {
    throw new Error(`${this.file}: ${message} at byte ${this.offset}`);
  }

  /** Reads an item's head: its major type and its argument (length or value). */
  head(): { major: number; value: number } {
    if (this.offset >= this.bytes.length) this.fail('unexpected end of data');
    const first = this.bytes[this.offset++];
    const major = first >> 5;
    const info = first & 31;
    if (info < 24) return { major, value: info };
    const size = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : 0;
    if (size === 0) this.fail(`unsupported CBOR item head 0x${first.toString(16)}`);
    if (this.offset + size > this.bytes.length) this.fail('unexpected end of data');
    let value = 0;
    for (let i = 0; i < size; i++) value = value * 256 + this.bytes[this.offset++];
    return { major, value };
  }

  arrayLength(): number {
    const { major, value } = this.head();
    if (major !== 4) this.fail(`expected an array, found CBOR major type ${major}`);
    return value;
  }

  text(): string {
    const { major, value } = this.head();
    if (major !== 3) this.fail(`expected a text string, found CBOR major type ${major}`);
    if (this.offset + value > this.bytes.length) this.fail('text runs past the end');
    const text = decoder.decode(this.bytes.subarray(this.offset, this.offset + value));
    this.offset += value;
    return text;
  }

  /** Moves past one item of any of the types Pagefind writes (numbers, strings, arrays). */
  skip(): void {
    const { major, value } = this.head();
    if (major === 0 || major === 1) return;
    if (major === 2 || major === 3) {
      if (this.offset + value > this.bytes.length) this.fail('string runs past the end');
      this.offset += value;
    } else if (major === 4) for (let i = 0; i < value; i++) this.skip();
    else if (major === 5) for (let i = 0; i < 2 * value; i++) this.skip();
    else this.fail(`unsupported CBOR major type ${major}`);
  }

  slice(start: number): Uint8Array {
    return this.bytes.subarray(start, this.offset);
  }

  end(): void {
    if (this.offset !== this.bytes.length) this.fail('unexpected data after the end');
  }
}

/** Checks and strips the signature of a decompressed Pagefind file. */
function body(bytes: Uint8Array, file: string): Uint8Array {
  const head = bytes.subarray(0, signatureBytes.length);
  if (!head.every((byte, i) => byte === signatureBytes[i]))
    throw new Error(`${file}: not a Pagefind file (no "${pagefindSignature}" signature)`);
  return bytes.subarray(signatureBytes.length);
}

function cborHead(major: number, value: number): Uint8Array {
  if (value < 24) return Uint8Array.of((major << 5) | value);
  if (value < 0x100) return Uint8Array.of((major << 5) | 24, value);
  if (value < 0x10000) return Uint8Array.of((major << 5) | 25, value >> 8, value & 0xff);
  return Uint8Array.of(
    (major << 5) | 26,
    (value >>> 24) & 0xff,
    (value >>> 16) & 0xff,
    (value >>> 8) & 0xff,
    value & 0xff,
  );
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function cborText(text: string): Uint8Array {
  const bytes = encoder.encode(text);
  return concat([cborHead(3, bytes.length), bytes]);
}

/** The word entries of one decompressed `.pf_index` chunk, in order. */
export function readWordChunk(bytes: Uint8Array, file: string): WordEntry[] {
  const reader = new CborReader(body(bytes, file), file);
  if (reader.arrayLength() !== 1) reader.fail('expected a one-field word index');
  const count = reader.arrayLength();
  const entries: WordEntry[] = [];
  for (let i = 0; i < count; i++) {
    const start = reader.offset;
    const fields = reader.arrayLength();
    if (fields < 2) reader.fail('a word entry needs a word and its pages');
    const word = reader.text();
    for (let field = 1; field < fields; field++) reader.skip();
    entries.push({ word, bytes: reader.slice(start) });
  }
  reader.end();
  return entries;
}

/** A decompressed `.pf_index` chunk holding these entries, signature included. */
export function writeWordChunk(entries: readonly WordEntry[]): Uint8Array {
  return concat([
    signatureBytes,
    cborHead(4, 1),
    cborHead(4, entries.length),
    ...entries.map((entry) => entry.bytes),
  ]);
}

/** Orders words as Pagefind (Rust) does: by their UTF-8 bytes. */
export function compareWords(a: string, b: string): number {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

/**
 * Groups sorted entries into runs of at most `maxBytes` of CBOR each; an entry larger than that
 * (a very common word) gets a run of its own.
 */
export function groupEntries(entries: readonly WordEntry[], maxBytes: number): WordEntry[][] {
  const groups: WordEntry[][] = [];
  let current: WordEntry[] = [];
  let size = 0;
  for (const entry of entries) {
    if (current.length > 0 && size + entry.bytes.length > maxBytes) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(entry);
    size += entry.bytes.length;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * The shortest distinct prefixes of two neighbouring chunks' last and first words, as
 * Pagefind's indexer writes them (`get_prefixes`): the common prefix plus one character.
 */
export function boundaryPrefixes(last: string, first: string): [string, string] {
  const a = Array.from(last);
  const b = Array.from(first);
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return [a.slice(0, common + 1).join(''), b.slice(0, common + 1).join('')];
}

/** Each group's first and last word, narrowed to Pagefind's boundary prefixes. */
export function chunkRanges(groups: readonly WordEntry[][]): { from: string; to: string }[] {
  const ranges = groups.map((group) => ({ from: group[0].word, to: group.at(-1)!.word }));
  for (let i = 0; i + 1 < ranges.length; i++) {
    [ranges[i].to, ranges[i + 1].from] = boundaryPrefixes(ranges[i].to, ranges[i + 1].from);
  }
  return ranges;
}

/** The parts of a decompressed `.pf_meta` file: its fields, with the chunk list decoded. */
export interface MetaFile {
  /** Every top-level field's CBOR bytes, unchanged. */
  fields: Uint8Array[];
  /** Which field lists the word index chunks. */
  chunkField: number;
  chunks: ChunkRange[];
}

/** Pagefind 1.x's metadata: [version, pages, index chunks, filters, sorts, meta fields]. */
const chunkFieldIndex = 2;

export function readMeta(bytes: Uint8Array, file: string): MetaFile {
  const reader = new CborReader(body(bytes, file), file);
  const count = reader.arrayLength();
  if (count <= chunkFieldIndex) reader.fail(`expected at least ${chunkFieldIndex + 1} fields`);
  const fields: Uint8Array[] = [];
  let chunks: ChunkRange[] = [];
  for (let field = 0; field < count; field++) {
    const start = reader.offset;
    if (field === chunkFieldIndex) {
      chunks = Array.from({ length: reader.arrayLength() }, () => {
        if (reader.arrayLength() !== 3) reader.fail('a chunk needs from, to and hash');
        return { from: reader.text(), to: reader.text(), hash: reader.text() };
      });
    } else reader.skip();
    fields.push(reader.slice(start));
  }
  reader.end();
  return { fields, chunkField: chunkFieldIndex, chunks };
}

/** The metadata file with its chunk list replaced, signature included. */
export function writeMeta(meta: MetaFile, chunks: readonly ChunkRange[]): Uint8Array {
  const chunkList = concat([
    cborHead(4, chunks.length),
    ...chunks.flatMap((chunk) => [
      cborHead(4, 3),
      cborText(chunk.from),
      cborText(chunk.to),
      cborText(chunk.hash),
    ]),
  ]);
  const fields = meta.fields.map((field, i) => (i === meta.chunkField ? chunkList : field));
  return concat([signatureBytes, cborHead(4, fields.length), ...fields]);
}
