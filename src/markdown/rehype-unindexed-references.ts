import type { Root, Element } from 'hast';

/**
 * Keeps the reference list out of the search index. Author names, venues and arXiv ids add
 * thousands of words that nobody searches for, and every one of them makes the index chunks
 * and result fragments the reader downloads larger. The prose names what it cites.
 */
export function rehypeUnindexedReferences() {
  return (tree: Root) => {
    let inReferences = false;
    for (const node of tree.children) {
      if (node.type !== 'element') continue;
      const heading = headingOf(node);
      if (heading) inReferences = heading.depth === 2 && heading.id === 'references';
      else if (inReferences) node.properties.dataPagefindIgnore = '';
    }
  };
}

/** The h2/h3 itself, or the one inside a heading wrapper. */
function headingOf(node: Element): { depth: number; id: unknown } | undefined {
  const heading = /^h[2-6]$/.test(node.tagName)
    ? node
    : node.children.find(
        (child): child is Element => child.type === 'element' && /^h[2-6]$/.test(child.tagName),
      );
  return heading ? { depth: Number(heading.tagName[1]), id: heading.properties.id } : undefined;
}
