import { readFileSync, existsSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { Root, Parent, Code } from 'mdast';
import type { Element, ElementContent } from 'hast';
import type { MdxJsxFlowElement } from 'mdast-util-mdx-jsx';
import type { VFile } from 'vfile';
import { visit } from 'unist-util-visit';
import { fromHtml } from 'hast-util-from-html';
import { embeddingComponents, isPlainFileName } from '../utils/embedded-files';
import { checkDiagramSvg } from '../utils/check-diagram-svg';

const languageByExtension: Record<string, string> = {
  '.py': 'python',
  '.ts': 'ts',
  '.js': 'js',
  '.sh': 'bash',
  '.json': 'json',
  '.yaml': 'yaml',
  '.txt': 'text',
};

function attribute(node: MdxJsxFlowElement, name: string): string | undefined {
  const found = node.attributes.find(
    (candidate) => candidate.type === 'mdxJsxAttribute' && candidate.name === name,
  );
  return typeof found?.value === 'string' ? found.value : undefined;
}

function readEmbeddedFile(node: MdxJsxFlowElement, file: VFile): { name: string; text: string } {
  const name = attribute(node, 'file');
  const where = `${file.path}: <${node.name} file="${name ?? ''}">`;
  if (!name) throw new Error(`${file.path}: <${node.name}> needs a file="..." attribute`);
  if (!isPlainFileName(name)) throw new Error(`${where}: name a file in the question's folder`);
  const path = join(dirname(file.path), name);
  if (!existsSync(path)) throw new Error(`${where}: no such file beside the question`);
  return { name, text: readFileSync(path, 'utf8') };
}

/** A code node that remark-code-figures will wrap with the file name as its caption. */
function codeSampleNode(node: MdxJsxFlowElement, file: VFile): Code {
  const { name, text } = readEmbeddedFile(node, file);
  return {
    type: 'code',
    lang: languageByExtension[extname(name)] ?? 'text',
    value: text.replace(/\n$/, ''),
    data: { sampleFile: name, sampleTitle: attribute(node, 'title') } as Code['data'],
  };
}

/** An inline SVG figure: themable with currentColor, labelled by its title for screen readers. */
function diagramNode(node: MdxJsxFlowElement, file: VFile) {
  const { name, text } = readEmbeddedFile(node, file);
  const title = attribute(node, 'title');
  if (!title)
    throw new Error(`${file.path}: <Diagram file="${name}">: needs a title="..." attribute`);
  const problem = checkDiagramSvg(text);
  if (problem) throw new Error(`${file.path}: <Diagram file="${name}">: ${problem}`);
  const svg = fromHtml(text, { fragment: true, space: 'svg' }).children.find(
    (child): child is Element => child.type === 'element' && child.tagName === 'svg',
  );
  if (!svg) throw new Error(`${file.path}: <Diagram file="${name}">: no <svg> element found`);
  // Named after the file, so ids are stable between builds and unique on the page.
  const titleId = `diagram-${basename(name, '.svg')}`;
  // On a phone a wide diagram would shrink until its labels are unreadable: it keeps at least
  // 80% of its drawn size and scrolls sideways instead.
  const viewBoxWidth = Number(String(svg.properties.viewBox ?? '').split(/[\s,]+/)[2]);
  const minWidth = Number.isFinite(viewBoxWidth)
    ? `min-width: ${Math.round(viewBoxWidth * 0.8)}px`
    : '';
  svg.properties = { ...svg.properties, role: 'img', ariaLabelledBy: [titleId], style: minWidth };
  const canvas: ElementContent = {
    type: 'element',
    tagName: 'div',
    properties: { className: ['diagram__canvas'] },
    children: [svg],
  };
  const caption: ElementContent = {
    type: 'element',
    tagName: 'figcaption',
    properties: { id: titleId },
    children: [{ type: 'text', value: title }],
  };
  return {
    type: 'diagram',
    data: {
      hName: 'figure',
      hProperties: { className: ['diagram'] },
      hChildren: [canvas, caption],
    },
  };
}

/** Replaces `<CodeSample file>` and `<Diagram file>` with the file's contents at build time. */
export function remarkQuestionEmbeds() {
  return (tree: Root, file: VFile) => {
    visit(
      tree,
      'mdxJsxFlowElement',
      (node: MdxJsxFlowElement, index, parent: Parent | undefined) => {
        if (!parent || index === undefined) return;
        if (!(embeddingComponents as readonly string[]).includes(node.name ?? '')) return;
        const replacement =
          node.name === 'CodeSample' ? codeSampleNode(node, file) : diagramNode(node, file);
        parent.children.splice(index, 1, replacement as Parent['children'][number]);
      },
    );
  };
}
