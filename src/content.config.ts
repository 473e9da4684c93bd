import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { defineCollection } from 'astro:content';
import { z } from 'astro/zod';
import { glob, type Loader } from 'astro/loaders';
import { topicIds } from './data/topics';
import { difficultyIds } from './data/difficulties';
import { folderOfEntryPath, parseQuestionFolder } from './utils/question-folder';
import { validateQuestionSet } from './utils/validate-question-set';
import { findEmbeddedFileReferences, isPlainFileName } from './utils/embedded-files';

/** Where the questions live; tests point this at fixture folders. */
const questionsDir = resolve(process.env.QUESTIONS_DIR ?? 'content/questions');

export const questionSchema = z
  .object({
    /** Position in the original list of 75 questions; also the folder's two-digit prefix. */
    number: z.number().int().min(1).max(75),
    /** The question as asked: the seed wording, with the typo fixes in src/data/wording-fixes.ts. */
    question: z.string().trim().min(10),
    /** The one primary topic (src/data/topics.ts); secondary topics go in `tags`. */
    topic: z.enum(topicIds),
    /** Lowercase, hyphenated keywords for secondary topics. */
    tags: z
      .array(z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'tags are lowercase and hyphenated'))
      .min(1)
      .max(8),
    /** How much depth the answer expects of a candidate. */
    difficulty: z.enum(difficultyIds),
    /** One sentence for cards, the meta description and search results. */
    summary: z.string().trim().min(40).max(220),
    /** Numbers of questions to study next; each must exist. */
    related: z.array(z.number().int().min(1).max(75)).default([]),
    /** `draft`: frontmatter only, listed as in progress; `published`: a complete answer. */
    status: z.enum(['draft', 'published']),
  })
  .strict();

export type QuestionData = z.infer<typeof questionSchema>;

/** The glob loader, plus the checks that span files: they fail `astro sync` and `astro build`. */
function questionsLoader(): Loader {
  const files = glob({
    base: questionsDir,
    pattern: '*/index.mdx',
    // The URL slug is the folder name without its number.
    generateId: ({ entry }) => {
      const folderName = folderOfEntryPath(entry);
      return parseQuestionFolder(folderName)?.slug ?? folderName;
    },
  });
  return {
    name: 'questions-loader',
    load: async (context) => {
      await files.load(context);
      const entries = [...context.store.values()];
      const problems = validateQuestionSet(
        entries.map((entry) => ({
          filePath: entry.filePath ?? entry.id,
          number: (entry.data as QuestionData).number,
          related: (entry.data as QuestionData).related,
        })),
      );
      for (const entry of entries) {
        const filePath = entry.filePath ?? entry.id;
        for (const reference of findEmbeddedFileReferences(entry.body ?? '')) {
          const file = join(dirname(resolve(filePath)), reference.file);
          if (!isPlainFileName(reference.file) || !existsSync(file)) {
            problems.push(
              `${filePath}: <${reference.component} file="${reference.file}">: no such file beside the question (${relative('.', file)})`,
            );
          }
        }
      }
      if (problems.length > 0) {
        throw new Error(`Invalid questions:\n  ${problems.join('\n  ')}`);
      }
    },
  };
}

export const collections = {
  questions: defineCollection({ loader: questionsLoader(), schema: questionSchema }),
};
