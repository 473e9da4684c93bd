/**
 * The tokenizer playground's logic, free of the DOM so the page (at build time) and the island
 * (in the browser) show tokens the same way: the encodings it compares, its preset texts, and how
 * a token id becomes something a reader can see (whitespace made visible, bytes that are not
 * valid UTF-8 on their own shown as hex).
 */

export type EncodingId = 'r50k_base' | 'cl100k_base' | 'o200k_base';

export interface EncodingInfo {
  /** tiktoken's name for the encoding; its island is `tokenizer-<id>`. */
  id: EncodingId;
  /** The model readers know it from, used as the panel's name. */
  model: string;
  /** Which models use it, for the checkbox's description. */
  usedBy: string;
  /** Shown (and loaded on first use) without the reader choosing it. */
  defaultOn: boolean;
}

export const encodings: readonly EncodingInfo[] = [
  {
    id: 'r50k_base',
    model: 'GPT-2',
    usedBy: 'GPT-2 and the first GPT-3 models',
    defaultOn: false,
  },
  {
    id: 'cl100k_base',
    model: 'GPT-4',
    usedBy: 'GPT-3.5 Turbo, GPT-4 and text-embedding-3',
    defaultOn: true,
  },
  {
    id: 'o200k_base',
    model: 'GPT-4o',
    usedBy: 'GPT-4o and later OpenAI models',
    defaultOn: false,
  },
];

/** A token's entry in a merge table: its text when its bytes are valid UTF-8, else the bytes. */
export type TokenPiece = string | readonly number[];

/** What each encoding island exports as `engine`. */
export interface TokenizerEngine {
  /** Token ids for the text; special-token markers such as `<|endoftext|>` count as plain text. */
  encode(text: string): number[];
  /** The token's entry in the merge table (undefined for an id outside it). */
  piece(id: number): TokenPiece | undefined;
  /** How many tokens the merge table holds. */
  size: number;
}

type PackageEncode = (text: string, options: { disallowedSpecial: Set<string> }) => number[];

/**
 * An engine over gpt-tokenizer's `encode` and merge table. The package throws on text that
 * contains a special-token marker; a playground should tokenize what was typed instead, as
 * tiktoken's `encode_ordinary` does.
 */
export function createEngine(
  encode: PackageEncode,
  ranks: readonly (TokenPiece | undefined)[],
): TokenizerEngine {
  return {
    encode: (text) => encode(text, { disallowedSpecial: new Set() }),
    piece: (id) => ranks[id],
    size: ranks.length,
  };
}

/** Colours cycle so that neighbouring tokens always differ (see --color-token-N in tokens.css). */
export const tokenColourCount = 5;

export function colourIndex(position: number): number {
  return position % tokenColourCount;
}

const visibleMarks: Record<string, string> = { ' ': '·', '\t': '→', '\n': '↵', '\r': '␍' };
const invisibleNames: Record<string, string> = {
  '\u00a0': 'NBSP',
  '\u200b': 'ZWSP',
  '\u200c': 'ZWNJ',
  '\u200d': 'ZWJ',
  '\ufe0f': 'VS16',
  '\ufeff': 'BOM',
};

/**
 * Spaces, tabs and line ends as visible marks (a token's leading space is part of the token),
 * and characters that draw nothing (a zero-width joiner, a control code) by name: ⟨ZWJ⟩.
 */
export function visibleText(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}\p{Z}]/gu, (character) => {
    const mark = visibleMarks[character];
    if (mark) return mark;
    const code = character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    return `⟨${invisibleNames[character] ?? `U+${code}`}⟩`;
  });
}

export function hexByte(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}

/** The bytes as a reader checks them against a UTF-8 table: "F0 9F 91". */
export function formatHex(bytes: readonly number[]): string {
  return bytes.map(hexByte).join(' ');
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** How many bytes a UTF-8 sequence starting with this byte should have (0: cannot start one). */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/**
 * Bytes that are not valid UTF-8 as a whole: every complete character as text, every other byte
 * as `\xF0`, so a token holding half an emoji shows which half.
 */
export function describeBytes(bytes: readonly number[]): string {
  let text = '';
  let at = 0;
  while (at < bytes.length) {
    const length = sequenceLength(bytes[at]);
    let character: string | undefined;
    if (length > 0 && at + length <= bytes.length) {
      try {
        character = strictUtf8.decode(Uint8Array.from(bytes.slice(at, at + length)));
      } catch {
        character = undefined;
      }
    }
    if (character === undefined) {
      text += `\\x${hexByte(bytes[at])}`;
      at += 1;
    } else {
      text += visibleText(character);
      at += length;
    }
  }
  return text;
}

const utf8 = new TextEncoder();

export function pieceBytes(piece: TokenPiece): number[] {
  return typeof piece === 'string' ? [...utf8.encode(piece)] : [...piece];
}

/** One token as the lab shows it. */
export interface TokenSpan {
  id: number;
  /** What the coloured box shows: visible whitespace, hex for stray bytes. */
  label: string;
  /** The token's bytes are not valid UTF-8 on their own (part of a character). */
  partial: boolean;
  /** The token holds a line end: the view starts a new line after it. */
  endsLine: boolean;
  /** Index into the colour cycle. */
  colour: number;
  /** The token's UTF-8 bytes in hex, for the table. */
  hex: string;
}

export function tokenSpan(id: number, piece: TokenPiece | undefined, position: number): TokenSpan {
  const colour = colourIndex(position);
  if (piece === undefined) {
    return { id, label: `[token ${id}]`, partial: false, endsLine: false, colour, hex: '' };
  }
  const partial = typeof piece !== 'string';
  const label = partial ? describeBytes(piece) : visibleText(piece);
  return {
    id,
    label,
    partial,
    endsLine: label.includes('↵'),
    colour,
    hex: formatHex(pieceBytes(piece)),
  };
}

/** The first `limit` tokens as spans (a long text's view is cut; its count never is). */
export function tokenSpans(
  ids: readonly number[],
  piece: (id: number) => TokenPiece | undefined,
  limit = ids.length,
): TokenSpan[] {
  return ids.slice(0, limit).map((id, position) => tokenSpan(id, piece(id), position));
}

export interface TextStats {
  tokens: number;
  /** Unicode code points: an emoji is one, a family emoji joined with ZWJ is several. */
  characters: number;
  /** UTF-8 bytes: what byte-level BPE starts from. */
  bytes: number;
}

export function textStats(text: string, tokens: number): TextStats {
  return { tokens, characters: [...text].length, bytes: utf8.encode(text).length };
}

/** Characters per token to two decimals; a dash when there are no tokens to divide by. */
export function formatRatio(numerator: number, tokens: number): string {
  return tokens === 0 ? '—' : (numerator / tokens).toFixed(2);
}

export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

export function plural(count: number, word: string): string {
  return `${formatCount(count)} ${word}${count === 1 ? '' : 's'}`;
}

/** A size in megabytes, one decimal: "2.0 MB". */
export function formatMegabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

export function loadingMessage(model: string, bytes: number): string {
  return `Loading ${model}’s merge table (about ${formatMegabytes(bytes)})…`;
}

export function loadedMessage(model: string, size: number): string {
  return `${model}’s merge table is loaded: ${formatCount(size)} tokens.`;
}

export function failedMessage(model: string): string {
  return `${model}’s merge table could not be loaded. Untick and tick ${model} to try again.`;
}

/** One polite announcement for all the shown encodings: "GPT-4: 12 tokens. GPT-4o: 10 tokens." */
export function describeCounts(counts: readonly { model: string; tokens: number }[]): string {
  return counts.map(({ model, tokens }) => `${model}: ${plural(tokens, 'token')}.`).join(' ');
}

export interface Preset {
  id: string;
  /** The button's text. */
  label: string;
  text: string;
  /** What to look for, shown when the preset is chosen. */
  lookFor: string;
}

/** The worked example: the first preset, the textarea's starting text, the no-JS page's example. */
export const presets: readonly Preset[] = [
  {
    id: 'sentence',
    label: 'Mixed sentence',
    text: 'How many tokens is “Straßenbahn”, 1234567, or नमस्ते? It depends on the tokenizer.',
    lookFor:
      'GPT-2 breaks the curly quotes and every Devanagari letter into bytes; GPT-4 still breaks some of नमस्ते, GPT-4o needs three tokens for it and the fewest overall.',
  },
  {
    id: 'numbers',
    label: 'Numbers',
    text: '1234567 + 89 = 1234656\nIn 2024, 3.14159 × 10 = 31.4159',
    lookFor:
      'Numbers are not split by place value: GPT-4 and GPT-4o cut digits into groups of at most three from the left (1234567 is 123, 456, 7) and give the space before a number its own token; GPT-2 splits wherever its merges landed. One reason arithmetic is hard for LLMs.',
  },
  {
    id: 'code',
    label: 'Python code',
    text: 'def fizzbuzz(n):\n    for i in range(1, n + 1):\n        if i % 15 == 0:\n            print("FizzBuzz")\n        else:\n            print(i)\n',
    lookFor:
      'GPT-2 spends a token on every space of indentation; GPT-4 and GPT-4o merge each run of spaces (and “):” with its line end), so the same code costs about half the tokens.',
  },
  {
    id: 'whitespace',
    label: 'Whitespace runs',
    text: 'one two  three   four    five\ttab\t\ttabs\n\n\nthree new lines, then trailing spaces   ',
    lookFor:
      'A single space joins the word after it; longer runs of spaces, tabs and new lines become tokens of their own, which GPT-2’s vocabulary has fewer of.',
  },
  {
    id: 'emoji',
    label: 'Emoji',
    text: 'I love 🦜 and 👍🏽. A family: 👨‍👩‍👧 (three people joined by zero-width joiners).',
    lookFor:
      'An emoji is four UTF-8 bytes; when the vocabulary lacks it, it is split into tokens that are only parts of a character (shown as hex bytes with a dashed border). The family is five code points: three people and two joiners.',
  },
  {
    id: 'scripts',
    label: 'Hindi, Chinese, Arabic',
    text: 'Hindi: नमस्ते दुनिया\nChinese: 你好，世界\nArabic: مرحبا بالعالم\nEnglish: Hello, world',
    lookFor:
      'The same greeting costs several times more tokens outside English in GPT-2 and GPT-4; GPT-4o’s larger vocabulary, trained on more languages, closes much of the gap.',
  },
  {
    id: 'made-up',
    label: 'Made-up words',
    text: 'The flurbinator glorped the snarfleswizzle.',
    lookFor:
      'No vocabulary has these words, yet nothing is “unknown”: byte-level BPE falls back to smaller pieces, down to single bytes if it must. A bigger vocabulary does not always mean fewer pieces.',
  },
];

export const workedExample = presets[0];
