/**
 * Counts words the way a reader would: runs of letters or digits, keeping apostrophes and
 * hyphens inside words ("isn't", "decoder-only") and decimal points inside numbers ("1.5B").
 */
export function countWords(text: string): number {
  const words = text.match(/[\p{L}\p{N}]+(?:(?:['’-]|(?<=\p{N})[.,](?=\p{N}))[\p{L}\p{N}]+)*/gu);
  return words ? words.length : 0;
}
