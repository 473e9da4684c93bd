/** A piece of a search excerpt: plain text, or text Pagefind marked as matching the query. */
export interface ExcerptPart {
  text: string;
  highlighted: boolean;
}

const entities: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&#x27;': "'",
};

function decodeEntities(text: string): string {
  return text.replace(/&(?:amp|lt|gt|quot|#39|#x27);/g, (entity) => entities[entity]);
}

/**
 * Splits Pagefind's excerpt HTML (escaped text with <mark> around matches) into parts that the
 * page renders with textContent, so nothing in an excerpt can ever become markup.
 */
export function parseExcerpt(excerptHtml: string): ExcerptPart[] {
  const parts: ExcerptPart[] = [];
  const pattern = /<mark>([\s\S]*?)<\/mark>/g;
  let last = 0;
  for (const match of excerptHtml.matchAll(pattern)) {
    if (match.index > last)
      parts.push({
        text: decodeEntities(excerptHtml.slice(last, match.index)),
        highlighted: false,
      });
    parts.push({ text: decodeEntities(match[1]), highlighted: true });
    last = match.index + match[0].length;
  }
  if (last < excerptHtml.length)
    parts.push({ text: decodeEntities(excerptHtml.slice(last)), highlighted: false });
  return parts.filter((part) => part.text.length > 0);
}
