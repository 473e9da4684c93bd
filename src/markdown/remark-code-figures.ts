import type { Root, Code, Parent } from 'mdast';
import type { ElementContent } from 'hast';
import { visit, SKIP } from 'unist-util-visit';

interface SampleData {
  sampleFile?: string;
  sampleTitle?: string;
}

function text(value: string): ElementContent {
  return { type: 'text', value };
}

function span(className: string, value: string): ElementContent {
  return {
    type: 'element',
    tagName: 'span',
    properties: { className: [className] },
    children: [text(value)],
  };
}

/**
 * Wraps every code block in a figure whose caption names the file (or the language) and holds
 * a copy button. The button is hidden until the page script runs, so it never does nothing.
 */
export function remarkCodeFigures() {
  return (tree: Root) => {
    visit(tree, 'code', (node: Code, index, parent: Parent | undefined) => {
      if (!parent || index === undefined) return;
      const { sampleFile, sampleTitle } = (node.data ?? {}) as SampleData;
      const label = sampleFile ?? node.lang ?? 'text';
      const captionChildren: ElementContent[] = [span('code-figure__name', label)];
      if (sampleTitle) captionChildren.push(span('code-figure__title', sampleTitle));
      captionChildren.push({
        type: 'element',
        tagName: 'button',
        properties: { type: 'button', className: ['copy-button', 'js-only'], dataCopy: 'code' },
        children: [text('Copy')],
      });
      const figure = {
        type: 'codeFigure',
        data: {
          hName: 'figure',
          // Code is left out of the search index: it would bloat every fragment the search
          // downloads, and the prose around a sample names what it shows.
          hProperties: {
            className: ['code-figure'],
            dataSample: sampleFile,
            dataPagefindIgnore: '',
          },
        },
        children: [
          {
            type: 'codeCaption',
            data: {
              hName: 'figcaption',
              hProperties: { className: ['code-figure__caption'] },
              hChildren: captionChildren,
            },
          },
          node,
        ],
      };
      parent.children.splice(index, 1, figure as unknown as Parent['children'][number]);
      return [SKIP, index + 1];
    });
  };
}
