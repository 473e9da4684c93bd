import { createMarkdownProcessor } from '@astrojs/markdown-remark';
import type { Nodes, Parent, Root, RootContent } from 'mdast';
import type { VFile } from 'vfile';
import remarkMath from 'remark-math';
import { SKIP, visit } from 'unist-util-visit';
import type { QuestionDirectoryEntry } from './question-directory';
import { remarkQuestionLinks } from './remark-question-links';

export interface FlashcardHtmlOptions {
  /** The site's base path, for links to other questions. */
  base: string;
  /** Question numbers to slugs, for `[text](q:13)` links. */
  directory: Map<number, QuestionDirectoryEntry>;
}

/**
 * A card lives in Anki, away from the site: links become absolute (against the question's
 * page), math becomes Anki's own MathJax syntax, \(...\) and \[...\], and HTML written in the
 * answer stays text, as it does on the page.
 */
function remarkForFlashcard() {
  return (tree: Root, file: VFile) => {
    // The page URL comes in as render()'s frontmatter: the one per-file value Astro's Markdown
    // processor hands to plugins.
    const frontmatter = (file.data.astro as { frontmatter?: { pageUrl?: string } } | undefined)
      ?.frontmatter;
    const pageUrl = frontmatter?.pageUrl;
    if (!pageUrl) throw new Error('flashcard HTML needs the page URL to make links absolute');
    visit(tree, (visited, index, parent: Parent | undefined) => {
      const node = visited as Nodes;
      if (node.type === 'link') node.url = new URL(node.url, pageUrl).href;
      if (!parent || index === undefined) return undefined;
      let replacement: RootContent | undefined;
      if (node.type === 'html') replacement = { type: 'text', value: node.value };
      if (node.type === 'inlineMath') replacement = { type: 'text', value: `\\(${node.value}\\)` };
      if (node.type === 'math')
        replacement = {
          type: 'paragraph',
          children: [{ type: 'text', value: `\\[${node.value}\\]` }],
        };
      if (!replacement) return undefined;
      if (replacement.type === 'text' && parent.type === 'root')
        replacement = { type: 'paragraph', children: [replacement] };
      parent.children.splice(index, 1, replacement);
      return [SKIP, index + 1];
    });
  };
}

/**
 * Renders Markdown from an answer (its short answer) as the simple HTML of a flashcard, with the
 * site's Markdown rules (GFM, smart quotes, q:N links) so the text is the page's text.
 */
export async function createFlashcardHtmlRenderer({ base, directory }: FlashcardHtmlOptions) {
  const processor = await createMarkdownProcessor({
    syntaxHighlight: false,
    remarkPlugins: [remarkMath, [remarkQuestionLinks, { base, directory }], remarkForFlashcard],
  });
  /** `pageUrl`: the question's absolute URL; relative links resolve against it. */
  return async (markdown: string, pageUrl: string): Promise<string> =>
    (await processor.render(markdown, { frontmatter: { pageUrl } })).code;
}
