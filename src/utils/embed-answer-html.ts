import type { Element, Properties } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { toHtml } from 'hast-util-to-html';
import { visit } from 'unist-util-visit';

export interface EmbedOptions {
  /** Put in front of every id, and of every same-page reference to one. */
  idPrefix: string;
  /** Added to each heading's level (1 turns h2 into h3), so the answer nests under a title. */
  headingShift: number;
  /** Where a link to another page points on this page instead (e.g. "#q-13"), or undefined. */
  linkTarget?: (href: string) => string | undefined;
}

/** Attributes that hold a list of ids (space-separated) on the same page. */
const idListAttributes = [
  'ariaLabelledBy',
  'ariaDescribedBy',
  'ariaControls',
  'ariaOwns',
  'ariaDetails',
  'ariaFlowTo',
  'htmlFor',
  'headers',
] as const;

/** Attributes that hold one id. */
const idAttributes = ['ariaActiveDescendant', 'ariaErrorMessage', 'list', 'form'] as const;

/** SVG presentation attributes and styles point at markers and gradients with url(#id). */
const fragmentInUrl = /url\(\s*(['"]?)#([^'")\s]+)\1\s*\)/g;

const heading = /^h([1-6])$/;

/**
 * Makes a rendered answer safe to place beside others on one page: each id gets the prefix
 * (headings such as "short-answer", diagram markers such as "arrow" repeat across answers),
 * and so does everything that refers to an id: `#fragment` links, ARIA and label references,
 * SVG `url(#id)`. Headings move down `headingShift` levels; links to other answers can be
 * turned into links within the page.
 */
export function embedAnswerHtml(html: string, options: EmbedOptions): string {
  const tree = fromHtml(html, { fragment: true });
  visit(tree, 'element', (node: Element) => {
    scopeIds(node.properties, options);
    const level = heading.exec(node.tagName);
    if (level && options.headingShift !== 0) {
      node.tagName = `h${Math.min(6, Math.max(1, Number(level[1]) + options.headingShift))}`;
    }
  });
  return toHtml(tree);
}

function scopeIds(properties: Properties, { idPrefix, linkTarget }: EmbedOptions): void {
  const prefixed = (id: string) => `${idPrefix}${id}`;
  if (typeof properties.id === 'string') properties.id = prefixed(properties.id);
  for (const name of idListAttributes as readonly string[]) {
    const value = properties[name];
    if (Array.isArray(value)) properties[name] = value.map((id) => prefixed(String(id)));
    else if (typeof value === 'string') properties[name] = value.split(/\s+/).map(prefixed);
  }
  for (const name of idAttributes) {
    if (typeof properties[name] === 'string') properties[name] = prefixed(properties[name]);
  }
  for (const name of ['href', 'xLinkHref'] as const) {
    const href = properties[name];
    if (typeof href !== 'string') continue;
    if (href.startsWith('#')) properties[name] = `#${prefixed(href.slice(1))}`;
    else properties[name] = linkTarget?.(href) ?? href;
  }
  for (const [name, value] of Object.entries(properties)) {
    if (typeof value === 'string' && value.includes('url(')) {
      properties[name] = value.replace(
        fragmentInUrl,
        (_match, quote: string, id: string) => `url(${quote}#${prefixed(id)}${quote})`,
      );
    }
  }
}
