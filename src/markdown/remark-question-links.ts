import type { Root, Link, Parent } from 'mdast';
import type { VFile } from 'vfile';
import { visit, SKIP } from 'unist-util-visit';
import { joinBase } from '../utils/paths';
import type { QuestionDirectoryEntry } from './question-directory';

export interface QuestionLinkOptions {
  base: string;
  directory: Map<number, QuestionDirectoryEntry>;
}

const questionLink = /^q:(\d+)(#[\w-]+)?$/;

/**
 * Turns `[text](q:13)` and `[text](q:13#rope)` into links to the question's page under the
 * site's base path. An unknown number fails the build; a link to a draft becomes plain text,
 * so no page points at a page that is not built yet.
 */
export function remarkQuestionLinks({ base, directory }: QuestionLinkOptions) {
  return (tree: Root, file: VFile) => {
    visit(tree, 'link', (node: Link, index, parent: Parent | undefined) => {
      if (!node.url.startsWith('q:')) return;
      const match = questionLink.exec(node.url);
      const target = match ? directory.get(Number(match[1])) : undefined;
      if (!match || !target) {
        throw new Error(
          `${file.path}: link "${node.url}" does not name an existing question (write q:<number> or q:<number>#<heading-id>)`,
        );
      }
      if (!target.published && parent && index !== undefined) {
        parent.children.splice(index, 1, ...node.children);
        return [SKIP, index];
      }
      node.url = joinBase(base, `questions/${target.slug}/`) + (match[2] ?? '');
      return undefined;
    });
  };
}
