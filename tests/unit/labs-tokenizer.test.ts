import { describe, expect, test } from 'vitest';
import * as r50kPackage from 'gpt-tokenizer/encoding/r50k_base';
import * as cl100kPackage from 'gpt-tokenizer/encoding/cl100k_base';
import * as o200kPackage from 'gpt-tokenizer/encoding/o200k_base';
import { engine as r50k } from '../../src/islands/tokenizer-r50k_base';
import { engine as cl100k } from '../../src/islands/tokenizer-cl100k_base';
import { engine as o200k } from '../../src/islands/tokenizer-o200k_base';
import {
  colourIndex,
  describeBytes,
  describeCounts,
  encodings,
  formatHex,
  formatMegabytes,
  formatRatio,
  loadingMessage,
  pieceBytes,
  presets,
  textStats,
  tokenColourCount,
  tokenSpans,
  visibleText,
  workedExample,
  type TokenizerEngine,
} from '../../src/labs/tokenizer';

const engines: [string, TokenizerEngine, typeof cl100kPackage][] = [
  ['r50k_base', r50k, r50kPackage as unknown as typeof cl100kPackage],
  ['cl100k_base', cl100k, cl100kPackage],
  ['o200k_base', o200k, o200kPackage],
];

describe('the encoding islands', () => {
  test('give the known ids for "hello world"', () => {
    expect(r50k.encode('hello world')).toEqual([31373, 995]);
    expect(cl100k.encode('hello world')).toEqual([15339, 1917]);
    expect(o200k.encode('hello world')).toEqual([24912, 2375]);
  });

  test('hold the full merge tables', () => {
    expect(r50k.size).toBe(50256);
    expect(cl100k.size).toBe(100256);
    expect(o200k.size).toBe(199998);
  });

  test('the worked example takes 39, 30 and 25 tokens', () => {
    expect(engines.map(([, engine]) => engine.encode(workedExample.text).length)).toEqual([
      39, 30, 25,
    ]);
  });

  test.each(engines)('%s counts every preset as the package does', (_name, engine, pkg) => {
    for (const preset of presets) {
      expect(engine.encode(preset.text), preset.id).toEqual(pkg.encode(preset.text));
      expect(engine.encode(preset.text).length, preset.id).toBe(pkg.countTokens(preset.text));
    }
  });

  test.each(engines)('%s: the pieces of a preset join into its exact bytes', (_name, engine) => {
    for (const preset of presets) {
      const bytes = engine.encode(preset.text).flatMap((id) => pieceBytes(engine.piece(id)!));
      expect(Buffer.from(bytes).toString('utf8'), preset.id).toBe(preset.text);
    }
  });

  test.each(engines)(
    '%s: a single token decodes like the package decodes it',
    (_name, engine, pkg) => {
      for (const id of engine.encode('Straßenbahn ab 12:30 Uhr')) {
        const piece = engine.piece(id)!;
        expect(typeof piece).toBe('string');
        expect(piece).toBe(pkg.decode([id]));
      }
    },
  );

  test('special-token markers are tokenized as plain text, not refused', () => {
    const text = 'a <|endoftext|> b';
    expect(() => cl100kPackage.encode(text)).toThrow(/special token/);
    expect(cl100k.encode(text)).toEqual([64, 83739, 8862, 728, 428, 91, 29, 293]);
    expect(r50k.encode(text)).not.toContain(50256);
  });
});

describe('showing tokens', () => {
  test('spaces, tabs and line ends become visible marks', () => {
    expect(visibleText(' world')).toBe('·world');
    expect(visibleText('a\tb\r\n')).toBe('a→b␍↵');
  });

  test('characters that draw nothing are named', () => {
    expect(visibleText('\u200d')).toBe('⟨ZWJ⟩');
    expect(visibleText('\u2060')).toBe('⟨U+2060⟩');
    expect(visibleText('x\u00a0y')).toBe('x⟨NBSP⟩y');
  });

  test('bytes that are not a whole character are shown as hex, whole ones as text', () => {
    expect(describeBytes([0x20, 0xf0, 0x9f])).toBe('·\\xF0\\x9F');
    expect(describeBytes([0x9c])).toBe('\\x9C');
    // "्" (E0 A5 8D) complete, then the first two bytes of the next letter.
    expect(describeBytes([0xe0, 0xa5, 0x8d, 0xe0, 0xa4])).toBe('्\\xE0\\xA4');
    // An overlong encoding of "/" is not valid UTF-8.
    expect(describeBytes([0xc0, 0xaf])).toBe('\\xC0\\xAF');
  });

  test('an emoji GPT-2 lacks is three tokens, two of them partial bytes', () => {
    const spans = tokenSpans(r50k.encode(' 🦜'), r50k.piece);
    expect(spans.map((span) => span.id)).toEqual([12520, 99, 250]);
    expect(spans.map((span) => span.label)).toEqual(['·\\xF0\\x9F', '\\xA6', '\\x9C']);
    expect(spans.map((span) => span.partial)).toEqual([true, true, true]);
    expect(spans.map((span) => span.hex)).toEqual(['20 F0 9F', 'A6', '9C']);
  });

  test('the zero-width joiner in a family emoji is a named token in GPT-4o', () => {
    const labels = tokenSpans(o200k.encode('👨‍👩‍👧'), o200k.piece).map((span) => span.label);
    expect(labels).toEqual([
      '\\xF0\\x9F\\x91',
      '\\xA8',
      '⟨ZWJ⟩',
      '\\xF0\\x9F\\x91',
      '\\xA9',
      '⟨ZWJ⟩',
      '\\xF0\\x9F\\x91',
      '\\xA7',
    ]);
  });

  test('whole tokens, line ends and colours', () => {
    const spans = tokenSpans(cl100k.encode('hello world\nbye'), cl100k.piece);
    expect(spans.map((span) => span.label)).toEqual(['hello', '·world', '↵', 'bye']);
    expect(spans.map((span) => span.endsLine)).toEqual([false, false, true, false]);
    expect(spans.map((span) => span.partial)).toEqual([false, false, false, false]);
    expect(spans.map((span) => span.colour)).toEqual([0, 1, 2, 3]);
  });

  test('the view can be cut to the first tokens', () => {
    const ids = cl100k.encode(presets.find((preset) => preset.id === 'code')!.text);
    expect(tokenSpans(ids, cl100k.piece, 5)).toHaveLength(5);
  });

  test('an id outside the table still shows', () => {
    expect(tokenSpans([100257], cl100k.piece)[0].label).toBe('[token 100257]');
  });

  test('colours cycle so neighbours differ', () => {
    expect(colourIndex(0)).toBe(0);
    expect(colourIndex(tokenColourCount)).toBe(0);
    expect(colourIndex(tokenColourCount + 1)).toBe(1);
  });

  test('hex is upper case and padded', () => {
    expect(formatHex([0x0a, 0xff])).toBe('0A FF');
  });
});

describe('counts and messages', () => {
  test('characters are code points and bytes are UTF-8', () => {
    expect(textStats('hello world', 2)).toEqual({ tokens: 2, characters: 11, bytes: 11 });
    // Three people and two zero-width joiners; 4 + 3 + 4 + 3 + 4 bytes.
    expect(textStats('👨‍👩‍👧', 8)).toEqual({ tokens: 8, characters: 5, bytes: 18 });
  });

  test('characters per token', () => {
    expect(formatRatio(11, 2)).toBe('5.50');
    expect(formatRatio(10, 3)).toBe('3.33');
    expect(formatRatio(0, 0)).toBe('—');
  });

  test('loading says which table and how big', () => {
    expect(formatMegabytes(2_049_000)).toBe('2.0 MB');
    expect(loadingMessage('GPT-4o', 2_049_000)).toBe(
      'Loading GPT-4o’s merge table (about 2.0 MB)…',
    );
  });

  test('one announcement for all shown encodings', () => {
    expect(
      describeCounts([
        { model: 'GPT-4', tokens: 1 },
        { model: 'GPT-4o', tokens: 1234 },
      ]),
    ).toBe('GPT-4: 1 token. GPT-4o: 1,234 tokens.');
  });

  test('GPT-4 is the one encoding shown before the reader chooses', () => {
    expect(encodings.filter((encoding) => encoding.defaultOn).map((e) => e.id)).toEqual([
      'cl100k_base',
    ]);
  });

  test('presets have unique ids and cover the classic effects', () => {
    const ids = presets.map((preset) => preset.id);
    expect(new Set(ids).size).toBe(ids.length);
    const all = presets.map((preset) => preset.text).join('\n');
    expect(all).toMatch(/\d{5,}/);
    expect(all).toContain('\u200d');
    expect(all).toMatch(/\p{Script=Devanagari}/u);
    expect(all).toMatch(/\p{Script=Han}/u);
    expect(all).toMatch(/\p{Script=Arabic}/u);
    expect(all).toMatch(/ {4}/);
  });
});
