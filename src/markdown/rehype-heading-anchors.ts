import type { Root, Element, ElementContent, Parent } from 'hast';
import { toString } from 'hast-util-to-string';
import { visit, SKIP } from 'unist-util-visit';

const anchoredHeadings = new Set(['h2', 'h3']);

/**
 * Puts a "link to this section" anchor beside each h2 and h3. The anchor sits next to the
 * heading, not inside it, so the heading's accessible name stays its own text.
 * Needs heading ids: run after rehypeHeadingIds.
 */
export function rehypeHeadingAnchors() {
  return (tree: Root) => {
    visit(tree, 'element', (node: Element, index, parent: Parent | undefined) => {
      if (!parent || index === undefined || !anchoredHeadings.has(node.tagName)) return;
      const id = node.properties.id;
      if (typeof id !== 'string') return;
      const anchor: ElementContent = {
        type: 'element',
        tagName: 'a',
        properties: { className: ['heading-anchor'], href: `#${id}`, dataPagefindIgnore: '' },
        children: [
          {
            type: 'element',
            tagName: 'span',
            properties: { ariaHidden: 'true' },
            children: [{ type: 'text', value: '#' }],
          },
          {
            type: 'element',
            tagName: 'span',
            properties: { className: ['visually-hidden'] },
            children: [{ type: 'text', value: `Section titled “${toString(node)}”` }],
          },
        ],
      };
      const wrapper: Element = {
        type: 'element',
        tagName: 'div',
        properties: { className: ['heading-wrapper', `heading-wrapper--${node.tagName}`] },
        children: [node, anchor],
      };
      parent.children.splice(index, 1, wrapper);
      return [SKIP, index + 1];
    });
  };
}
