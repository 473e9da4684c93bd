import { describe, expect, test } from 'vitest';
import {
  ankiField,
  ankiTag,
  deckHeaders,
  deckRow,
  flashcardDeck,
  textToHtml,
} from '../../src/utils/flashcard-deck';

describe('textToHtml', () => {
  test('escapes markup characters and turns line breaks into <br>', () => {
    expect(textToHtml('a < b & "c" > d')).toBe('a &lt; b &amp; &quot;c&quot; &gt; d');
    expect(textToHtml('one\ntwo\r\nthree\rfour')).toBe('one<br>two<br>three<br>four');
  });
});

describe('ankiTag', () => {
  test('joins words with hyphens, since Anki separates tags with spaces', () => {
    expect(ankiTag('kv cache')).toBe('kv-cache');
    expect(ankiTag('  mixture of\texperts ')).toBe('mixture-of-experts');
    expect(ankiTag('rope')).toBe('rope');
  });

  test('drops double quotes and stray hyphens at the ends', () => {
    expect(ankiTag('"quoted" tag')).toBe('quoted-tag');
    expect(ankiTag('   ')).toBe('');
  });
});

describe('ankiField', () => {
  test('leaves plain HTML as it is', () => {
    expect(ankiField('<p>Attention is a weighted average.</p>')).toBe(
      '<p>Attention is a weighted average.</p>',
    );
  });

  test('turns tabs and line breaks (only spacing in HTML) into spaces', () => {
    expect(ankiField('<p>one\ntwo</p>\n<p>three\tfour</p>')).toBe(
      '<p>one two</p> <p>three four</p>',
    );
  });

  test('keeps the lines of a <pre> block as <br>', () => {
    expect(ankiField('<p>a\nb</p><pre><code>x = 1\ny = 2</code></pre>\nc')).toBe(
      '<p>a b</p><pre><code>x = 1<br>y = 2</code></pre> c',
    );
  });

  test('quotes a field with double quotes and doubles them, as Anki reads CSV', () => {
    expect(ankiField('<a href="https://x.org/">x</a>')).toBe('"<a href=""https://x.org/"">x</a>"');
  });

  test('quotes a field that starts with "#", which Anki would skip as a comment', () => {
    expect(ankiField('#1 answer')).toBe('"#1 answer"');
  });
});

describe('the deck file', () => {
  const options = { deck: 'GenAI Interview Guide', notetype: 'Basic' };
  const card = {
    front: '12. What is attention?',
    back: '<p>A weighted\naverage.</p>',
    tags: ['architecture', 'kv cache', 'attention', 'architecture'],
  };

  test('starts with the headers Anki reads: tab separator, HTML, note type, columns', () => {
    expect(deckHeaders(options)).toEqual([
      '#separator:Tab',
      '#html:true',
      '#notetype:Basic',
      '#columns:Front\tBack\tDeck\tTags',
      '#deck column:3',
      '#tags column:4',
    ]);
  });

  test('writes a row as front, back, deck and unique Anki tags, separated by tabs', () => {
    expect(deckRow(card, options)).toBe(
      '12. What is attention?\t<p>A weighted average.</p>\tGenAI Interview Guide\tarchitecture kv-cache attention',
    );
  });

  test('puts the headers first and one line per card, ending with a line break', () => {
    const file = flashcardDeck([card, { ...card, front: '13. Next?' }], options);
    const lines = file.split('\n');
    expect(lines.slice(0, 6)).toEqual(deckHeaders(options));
    expect(lines.slice(6)).toEqual([
      deckRow(card, options),
      expect.stringMatching(/^13\. Next\?\t/),
      '',
    ]);
  });
});
