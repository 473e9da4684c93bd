/**
 * A flashcard deck as a text file that Anki imports (File > Import): one note per line, fields
 * separated by tabs, with the file headers Anki 2.1.54+ reads (docs.ankiweb.net, "Importing
 * text files"), so the separator, HTML, note type, deck and tags column need no setting.
 */

export interface Flashcard {
  /** The front of the card, as HTML. */
  front: string;
  /** The back of the card, as HTML. */
  back: string;
  /** The note's tags, as written on the site; they are made Anki-safe here. */
  tags: readonly string[];
}

export interface DeckOptions {
  /** The deck the cards go to (a name, not HTML); Anki creates it if it does not exist. */
  deck: string;
  /** The note type, whose first two fields take the front and the back ("Basic"). */
  notetype: string;
}

/** The columns of each line, in order; the last two are the note's deck and tags. */
export const deckColumns = ['Front', 'Back', 'Deck', 'Tags'] as const;

/** Text as HTML: markup characters escaped, line breaks as <br>. */
export function textToHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\r\n?|\n/g, '<br>');
}

/**
 * An Anki tag: tags are separated by spaces, so a tag cannot hold one ("kv cache" becomes
 * "kv-cache"); a double quote would start a quoted field, so it goes too.
 */
export function ankiTag(tag: string): string {
  return tag
    .trim()
    .replace(/["\s]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * One field of a line. Tabs and line breaks would end the field or the note: in HTML they are
 * only spacing, so they become spaces, except inside <pre>, where a line break becomes <br>.
 * A field with a double quote (an HTML attribute) is quoted, its quotes doubled, as in CSV; so
 * is one that starts with "#", which Anki would read as a comment line.
 */
export function ankiField(html: string): string {
  const oneLine = html
    .split(/(<pre[\s>][\s\S]*?<\/pre>)/i)
    .map((part, index) =>
      index % 2 === 1 ? part.replace(/\r\n?|\n/g, '<br>') : part.replace(/\r\n?|\n/g, ' '),
    )
    .join('')
    .replace(/\t/g, ' ');
  return oneLine.includes('"') || oneLine.startsWith('#')
    ? `"${oneLine.replace(/"/g, '""')}"`
    : oneLine;
}

/** The file headers, each a `#key:value` line. */
export function deckHeaders({ notetype }: Pick<DeckOptions, 'notetype'>): string[] {
  return [
    '#separator:Tab',
    '#html:true',
    `#notetype:${notetype.replace(/[\r\n\t]+/g, ' ')}`,
    `#columns:${deckColumns.join('\t')}`,
    `#deck column:${deckColumns.indexOf('Deck') + 1}`,
    `#tags column:${deckColumns.indexOf('Tags') + 1}`,
  ];
}

/** One note's line: front, back, deck and its tags (unique, space-separated). */
export function deckRow(card: Flashcard, { deck }: Pick<DeckOptions, 'deck'>): string {
  const tags = [...new Set(card.tags.map(ankiTag).filter((tag) => tag !== ''))].join(' ');
  return [card.front, card.back, deck, tags].map(ankiField).join('\t');
}

/** The whole file: headers, then one line per card, ending with a line break. */
export function flashcardDeck(cards: readonly Flashcard[], options: DeckOptions): string {
  return (
    [...deckHeaders(options), ...cards.map((card) => deckRow(card, options))].join('\n') + '\n'
  );
}
