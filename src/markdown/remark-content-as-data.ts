import type { Root, Parent, RootContent } from 'mdast';
import type { VFile } from 'vfile';
import { visit, SKIP } from 'unist-util-visit';
import { embeddingComponents } from '../utils/embedded-files';

const allowedComponents = new Set<string>(embeddingComponents);
const jsxTypes = new Set(['mdxJsxFlowElement', 'mdxJsxTextElement']);
const expressionTypes = new Set(['mdxFlowExpression', 'mdxTextExpression']);
const linkTypes = new Set(['link', 'image', 'definition']);
// Relative URLs, fragments, q:N question links and these schemes; never javascript: or data:.
const safeUrl = /^(?:https?:|mailto:|q:|#|\/|\.{0,2}\/|[^:]*$)/i;

/** The exact source text of a node, as the author wrote it. */
function sourceOf(node: RootContent, file: VFile): string {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  return start === undefined || end === undefined ? '' : String(file.value).slice(start, end);
}

/**
 * Answers are content, not code. MDX would turn `<script>` into a real element and `{...}`
 * into JavaScript run at build time; this shows both as the literal text the author typed.
 * Only the site's own components (<CodeSample>, <Diagram>) stay components; import or export
 * statements and links to javascript: or data: URLs fail the build.
 */
export function remarkContentAsData() {
  return (tree: Root, file: VFile) => {
    visit(tree, (node, index, parent: Parent | undefined) => {
      if (node.type === 'mdxjsEsm') {
        throw new Error(`${file.path}: import and export statements are not allowed in answers`);
      }
      if (linkTypes.has(node.type)) {
        const url = (node as { url: string }).url.trim();
        if (!safeUrl.test(url)) {
          throw new Error(`${file.path}: link "${url}" uses a URL scheme that is not allowed`);
        }
      }
      if (!parent || index === undefined) return undefined;
      const isForeignJsx =
        jsxTypes.has(node.type) && !allowedComponents.has((node as { name?: string }).name ?? '');
      if (!isForeignJsx && !expressionTypes.has(node.type)) return undefined;
      const text = { type: 'text' as const, value: sourceOf(node as RootContent, file) };
      const flow = node.type === 'mdxJsxFlowElement' || node.type === 'mdxFlowExpression';
      parent.children.splice(
        index,
        1,
        (flow ? { type: 'paragraph', children: [text] } : text) as RootContent,
      );
      return [SKIP, index + 1];
    });
  };
}
