import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseQuestionFolder } from '../utils/question-folder';

export interface QuestionDirectoryEntry {
  slug: string;
  published: boolean;
}

/**
 * Maps question numbers to slugs by reading folder names, for Markdown plugins that run before
 * the content collection exists. Status is read from the frontmatter line so that links to
 * drafts can render as plain text instead of pointing at a page that is not built.
 */
export function readQuestionDirectory(dir: string): Map<number, QuestionDirectoryEntry> {
  const directory = new Map<number, QuestionDirectoryEntry>();
  if (!existsSync(dir)) return directory;
  for (const name of readdirSync(dir)) {
    const folder = parseQuestionFolder(name);
    const file = join(dir, name, 'index.mdx');
    if (!folder || !existsSync(file)) continue;
    const published = /^status:\s*["']?published["']?\s*$/m.test(readFileSync(file, 'utf8'));
    directory.set(folder.number, { slug: folder.slug, published });
  }
  return directory;
}
