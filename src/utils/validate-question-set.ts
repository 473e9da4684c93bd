import { parseQuestionFolder, folderOfEntryPath } from './question-folder';

/** What the cross-question checks need to know about one question. */
export interface QuestionFacts {
  /** Path of the MDX file, for error messages. */
  filePath: string;
  number: number;
  related: readonly number[];
}

/**
 * Checks that no zod schema can see, because they span files: folder names, unique numbers,
 * and related questions that exist. Returns one message per problem, each naming file and field.
 */
export function validateQuestionSet(unordered: readonly QuestionFacts[]): string[] {
  // Files arrive in whatever order the file system lists them; sort so messages are stable.
  const questions = [...unordered].sort((a, b) => a.filePath.localeCompare(b.filePath));
  const problems: string[] = [];
  const byNumber = new Map<number, string>();

  for (const question of questions) {
    const folderName = folderOfEntryPath(question.filePath);
    const folder = parseQuestionFolder(folderName);
    if (!folder) {
      problems.push(
        `${question.filePath}: folder "${folderName}" must be named <NN>-<slug>, e.g. 12-attention-mechanisms`,
      );
    } else if (folder.number !== question.number) {
      problems.push(
        `${question.filePath}: field "number" is ${question.number} but the folder says ${folder.number}`,
      );
    }
    const previous = byNumber.get(question.number);
    if (previous) {
      problems.push(
        `${question.filePath}: field "number" ${question.number} is already used by ${previous}`,
      );
    } else {
      byNumber.set(question.number, question.filePath);
    }
  }

  for (const question of questions) {
    for (const related of question.related) {
      if (related === question.number) {
        problems.push(
          `${question.filePath}: field "related" lists the question itself (${related})`,
        );
      } else if (!byNumber.has(related)) {
        problems.push(
          `${question.filePath}: field "related" names question ${related}, which does not exist`,
        );
      }
    }
  }
  return problems;
}
