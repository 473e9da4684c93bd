/** The MDX components that embed a file from the question's folder, and the files they name. */
export const embeddingComponents = ['CodeSample', 'Diagram'] as const;
export type EmbeddingComponent = (typeof embeddingComponents)[number];

export interface EmbeddedFileReference {
  component: EmbeddingComponent;
  file: string;
}

const referencePattern = /<(CodeSample|Diagram)\b[^>]*?\bfile=["']([^"']+)["']/g;

/** Lists `<CodeSample file="...">` and `<Diagram file="...">` references in an MDX body. */
export function findEmbeddedFileReferences(body: string): EmbeddedFileReference[] {
  return [...body.matchAll(referencePattern)].map((match) => ({
    component: match[1] as EmbeddingComponent,
    file: match[2],
  }));
}

/** A file name an embed may use: a plain name in the question's own folder, no paths. */
export function isPlainFileName(file: string): boolean {
  return /^[\w.-]+$/.test(file) && !file.startsWith('.');
}
