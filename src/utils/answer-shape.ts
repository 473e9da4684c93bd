import {
  codeSection,
  extractSection,
  listSections,
  markdownToPlainText,
  requiredSections,
} from './answer-sections';
import { countWords } from './count-words';
import { findEmbeddedFileReferences } from './embedded-files';

/** What the shape checks need to know about a published answer. */
export interface AnswerToCheck {
  /** The MDX body, without frontmatter. */
  body: string;
  /** The primary topic; coding answers are judged by their code first. */
  topic: string;
  /** The files beside index.mdx. */
  files: readonly string[];
}

/** Each check names the rule of the content standard it enforces and returns its problems. */
export const answerShapeChecks: Record<string, (answer: AnswerToCheck) => string[]> = {
  'has the standard sections, in order': ({ body }) => {
    const sections = listSections(body);
    const expected = sections.includes(codeSection)
      ? [
          'Short answer',
          'Deep dive',
          codeSection,
          'Follow-up questions',
          'Common mistakes',
          'References',
        ]
      : [...requiredSections];
    return sections.join('|') === expected.join('|')
      ? []
      : [`sections are [${sections.join(', ')}], expected [${expected.join(', ')}]`];
  },

  'the short answer is 80-180 words': ({ body }) => {
    const words = countWords(markdownToPlainText(extractSection(body, 'Short answer') ?? ''));
    return words >= 80 && words <= 180 ? [] : [`short answer has ${words} words, expected 80-180`];
  },

  'the prose is a full answer, not a stub nor a book chapter': ({ body, topic }) => {
    const words = proseWords(body);
    const minimum = topic === 'coding' ? 400 : 650;
    return words >= minimum && words <= 2200
      ? []
      : [`prose has ${words} words, expected ${minimum}-2200`];
  },

  'has 3-5 follow-up questions, each with an answer': ({ body }) => {
    const followUps = extractSection(body, 'Follow-up questions') ?? '';
    const headings = followUps.match(/^### .+$/gm) ?? [];
    const problems =
      headings.length >= 3 && headings.length <= 5
        ? []
        : [`${headings.length} follow-up questions, expected 3-5`];
    followUps
      .split(/^### .+$/m)
      .slice(1)
      .forEach((part, index) => {
        if (countWords(markdownToPlainText(part)) < 15)
          problems.push(`follow-up ${index + 1} has an answer under 15 words`);
      });
    return problems;
  },

  'lists common mistakes': ({ body }) => {
    const count = ((extractSection(body, 'Common mistakes') ?? '').match(/^- /gm) ?? []).length;
    return count >= 3 ? [] : [`${count} common mistakes, expected at least 3`];
  },

  'cites primary sources: papers with arXiv ids or DOIs, or official documentation links': ({
    body,
  }) => {
    const references = (extractSection(body, 'References') ?? '').match(/^- .+$/gm) ?? [];
    const problems = references.length >= 2 ? [] : [`${references.length} references, expected 2+`];
    for (const reference of references)
      if (!/arXiv:\d{4}\.\d{4,5}|doi\.org|10\.\d{4,}\/|https:\/\/|\(\d{4}\)/.test(reference))
        problems.push(
          `reference needs an arXiv id, a DOI, a link or a venue and year: ${reference}`,
        );
    return problems;
  },

  'shows every code file and diagram in its folder, and embeds each once': ({ body, files }) => {
    const embedded = findEmbeddedFileReferences(body).map((reference) => reference.file);
    const problems = embedded
      .filter((file, index) => embedded.indexOf(file) !== index)
      .map((file) => `${file} is embedded twice`);
    for (const file of files.filter((name) => /\.(py|svg)$/.test(name)))
      if (!embedded.includes(file)) problems.push(`${file} is in the folder but not shown`);
    for (const file of embedded)
      if (!files.includes(file)) problems.push(`${file} is embedded but not in the folder`);
    return problems;
  },

  'every table column has a header (screen readers announce it)': ({ body }) =>
    [...body.matchAll(/^(\|.*\|)\s*\n\|[\s:|-]+\|\s*$/gm)]
      .filter(([, header]) =>
        header
          .slice(1, -1)
          .split('|')
          .some((cell) => cell.trim() === ''),
      )
      .map(([, header]) => `a table header has an empty cell: ${header}`),

  'pairs every Hugging Face sample with a runnable from-scratch one': ({ files }) => {
    const python = files.filter((file) => file.endsWith('.py'));
    return python.some((file) => file.endsWith('_hf.py')) &&
      !python.some((file) => !file.endsWith('_hf.py'))
      ? ['a *_hf.py sample needs a runnable from-scratch sample beside it']
      : [];
  },

  'a coding question has code that runs': ({ body, topic, files }) => {
    if (topic !== 'coding') return [];
    const problems = listSections(body).includes(codeSection) ? [] : ['no ## Code section'];
    if (!files.some((file) => file.endsWith('.py') && !file.endsWith('_hf.py')))
      problems.push('no runnable .py sample');
    return problems;
  },
};

/** Every problem with a published answer's shape, each prefixed by the rule it breaks. */
export function answerShapeProblems(answer: {
  body: string;
  data: { topic: string };
  files: readonly string[];
}): string[] {
  const input = { body: answer.body, topic: answer.data.topic, files: answer.files };
  return Object.entries(answerShapeChecks).flatMap(([rule, check]) =>
    check(input).map((problem) => `${rule}: ${problem}`),
  );
}

/** Prose only: code fences, embeds, tables' pipes and math blocks do not count as words. */
export function proseWords(body: string): number {
  const prose = body
    .replace(/^```[\s\S]*?^```/gm, ' ')
    .replace(/\$\$[\s\S]*?\$\$/g, ' ')
    .replace(/^## References[\s\S]*?(?=^## |$(?![\s\S]))/m, ' ');
  return countWords(markdownToPlainText(prose));
}
