/** A question folder is named `<NN>-<slug>`: the number and the URL slug in one name. */
export interface QuestionFolder {
  number: number;
  slug: string;
}

const folderPattern = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)$/;

/** Parses a folder name such as "12-attention-mechanisms"; returns undefined when it does not fit. */
export function parseQuestionFolder(name: string): QuestionFolder | undefined {
  const match = folderPattern.exec(name);
  if (!match) return undefined;
  return { number: Number(match[1]), slug: match[2] };
}

/** The folder name of an entry path such as "12-attention-mechanisms/index.mdx". */
export function folderOfEntryPath(entryPath: string): string {
  const parts = entryPath.split(/[\\/]/).filter(Boolean);
  return parts.length > 1 ? parts[parts.length - 2] : (parts[0] ?? '');
}
