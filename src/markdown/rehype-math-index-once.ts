import type { Root, Element } from 'hast';
import { visit } from 'unist-util-visit';

/**
 * KaTeX's MathML keeps the TeX source in an <annotation>; without this, search would index
 * every formula twice (once as MathML text, once as TeX).
 */
export function rehypeMathIndexOnce() {
  return (tree: Root) => {
    visit(tree, 'element', (node: Element) => {
      if (node.tagName === 'annotation') node.properties.dataPagefindIgnore = '';
    });
  };
}
