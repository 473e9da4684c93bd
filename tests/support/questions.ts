/** Reads the question folders straight from disk, for tests that check the content itself. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { questionSchema, type QuestionData } from '../../src/content.config';
import { parseQuestionFolder } from '../../src/utils/question-folder';

export const questionsRoot = resolve(process.env.QUESTIONS_DIR ?? 'content/questions');

export interface QuestionOnDisk {
  folder: string;
  dir: string;
  slug: string;
  data: QuestionData;
  body: string;
  files: string[];
}

export function splitFrontmatter(source: string): { frontmatter: string; body: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(source);
  if (!match) throw new Error('no frontmatter block');
  return { frontmatter: match[1], body: match[2] };
}

export function loadQuestions(root = questionsRoot): QuestionOnDisk[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const dir = join(root, entry.name);
      const { frontmatter, body } = splitFrontmatter(readFileSync(join(dir, 'index.mdx'), 'utf8'));
      const parsed = questionSchema.safeParse(parseYaml(frontmatter));
      if (!parsed.success) throw new Error(`${dir}/index.mdx: ${parsed.error.message}`);
      return {
        folder: entry.name,
        dir,
        slug: parseQuestionFolder(entry.name)?.slug ?? '',
        data: parsed.data,
        body,
        files: readdirSync(dir).filter((name) => name !== 'index.mdx'),
      };
    })
    .sort((a, b) => a.data.number - b.data.number);
}

/** The 75 questions of the seed list, by number. */
export function loadSeedQuestions(): Map<number, string> {
  const seed = readFileSync(resolve('tests/fixtures/seed-questions.txt'), 'utf8');
  const questions = new Map<number, string>();
  for (const line of seed.split('\n')) {
    const match = /^(\d+)\.\s+(.*?)\s*$/.exec(line);
    if (match) questions.set(Number(match[1]), match[2]);
  }
  return questions;
}
