/** The `##` sections of an answer, in the order the content standard asks for. */
export const requiredSections = [
  'Short answer',
  'Deep dive',
  'Follow-up questions',
  'Common mistakes',
  'References',
] as const;

/** `## Code` is required for coding questions and optional elsewhere; it goes after the deep dive. */
export const codeSection = 'Code';

/** The `##` headings of an MDX body, in order (fenced code is skipped). */
export function listSections(body: string): string[] {
  return [...withoutFencedCode(body).matchAll(/^## +(.+?)\s*$/gm)].map((match) => match[1]);
}

/** The raw Markdown under one `##` heading, up to the next `##` heading. */
export function extractSection(body: string, heading: string): string | undefined {
  const lines = withoutFencedCode(body).split('\n');
  const start = lines.findIndex((line) => line.trim() === `## ${heading}`);
  if (start === -1) return undefined;
  const end = lines.findIndex((line, index) => index > start && /^## /.test(line));
  return lines
    .slice(start + 1, end === -1 ? undefined : end)
    .join('\n')
    .trim();
}

/** Markdown to plain text, good enough for word counts and structured-data text. */
export function markdownToPlainText(markdown: string): string {
  return markdown
    .replace(/<[A-Z][^>]*\/>/g, ' ')
    .replace(/\$\$[\s\S]*?\$\$/g, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\*\*|__|`/g, '')
    .replace(/(^|\s)[*_]|[*_](?=\s|[.,;:!?]|$)/g, '$1')
    .replace(/\$([^$\n]+)\$/g, '$1')
    .replace(/^\s{0,3}(?:#{1,6}|>|[-*+]|\d+\.)\s+/gm, '')
    .replace(/\\([{}<])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

function withoutFencedCode(body: string): string {
  return body.replace(/^```[\s\S]*?^```/gm, (block) => block.replace(/^#/gm, ' #'));
}
