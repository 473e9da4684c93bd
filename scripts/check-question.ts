/**
 * Checks one or more questions without building the site, for authors while they write:
 * the frontmatter against the schema, the answer's shape (sections, lengths, references),
 * the MDX compiled with the site's own Markdown plugins, and every runnable Python sample.
 *
 *   npm run check:question -- 4 11 18
 *
 * The full test suite (`npm test`) remains the gate; this only gives quick feedback.
 */
import { execFileSync } from 'node:child_process';
import { resolve, join } from 'node:path';
import { compile } from '@mdx-js/mdx';
import { VFile } from 'vfile';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';
import { rehypeHeadingIds } from '@astrojs/markdown-remark';
import { loadQuestions, questionsRoot } from '../tests/support/questions';
import { readQuestionDirectory } from '../src/markdown/question-directory';
import { remarkContentAsData } from '../src/markdown/remark-content-as-data';
import { remarkQuestionEmbeds } from '../src/markdown/remark-question-embeds';
import { remarkQuestionLinks } from '../src/markdown/remark-question-links';
import { remarkCodeFigures } from '../src/markdown/remark-code-figures';
import { rehypeHeadingAnchors } from '../src/markdown/rehype-heading-anchors';
import { answerShapeProblems } from '../src/utils/answer-shape';

const wanted = process.argv.slice(2).map(Number);
if (wanted.length === 0 || wanted.some((number) => !Number.isInteger(number))) {
  console.error('usage: npm run check:question -- <number> [<number> ...]');
  process.exit(2);
}

const questions = loadQuestions();
const byNumber = new Map(questions.map((question) => [question.data.number, question]));
const directory = readQuestionDirectory(questionsRoot);
let failures = 0;

for (const number of wanted) {
  const question = byNumber.get(number);
  if (!question) {
    console.error(`question ${number}: no such question folder`);
    failures++;
    continue;
  }
  const problems: string[] = [];
  const file = join(question.dir, 'index.mdx');

  // Symmetric related links, checked here because the tests check them across the whole set.
  for (const other of question.data.related) {
    const back = byNumber.get(other);
    if (!back) problems.push(`related: question ${other} does not exist`);
    else if (!back.data.related.includes(number))
      problems.push(`related: question ${other} does not link back to ${number}`);
  }

  if (question.data.status === 'published') problems.push(...answerShapeProblems(question));

  try {
    const source = new VFile({ path: resolve(file), value: question.body });
    const compiled = await compile(source, {
      remarkPlugins: [
        remarkMath,
        remarkContentAsData,
        remarkQuestionEmbeds,
        [remarkQuestionLinks, { base: '/', directory }],
        remarkCodeFigures,
      ],
      rehypePlugins: [[rehypeKatex, { output: 'mathml' }], rehypeHeadingIds, rehypeHeadingAnchors],
    });
    // KaTeX renders bad math as red error text and only warns: treat that as the error it is.
    for (const message of compiled.messages)
      problems.push(`math (line ${message.line ?? '?'}): ${message.reason}`);
  } catch (error) {
    problems.push(`MDX: ${error instanceof Error ? error.message : String(error)}`);
  }

  for (const sample of question.files.filter((name) => name.endsWith('.py'))) {
    const path = join(question.dir, sample);
    const args = sample.endsWith('_hf.py')
      ? ['-c', 'import ast, sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])', path]
      : [path];
    try {
      execFileSync('/usr/bin/python3', args, {
        encoding: 'utf8',
        stdio: 'pipe',
        timeout: 120_000,
        env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONHASHSEED: '0' },
      });
    } catch (error) {
      const detail = (error as { stderr?: string }).stderr ?? String(error);
      problems.push(`${sample}: ${detail.trim().split('\n').slice(-5).join('\n')}`);
    }
  }

  if (problems.length === 0) console.log(`question ${number}: ok (${question.data.status})`);
  else {
    failures++;
    console.error(`question ${number} (${file}):\n  ${problems.join('\n  ')}`);
  }
}
process.exit(failures === 0 ? 0 : 1);
