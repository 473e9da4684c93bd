/** Difficulty levels, easiest first. */
export const difficulties = [
  { id: 'foundational', title: 'Foundational' },
  { id: 'intermediate', title: 'Intermediate' },
  { id: 'advanced', title: 'Advanced' },
] as const;

export type DifficultyId = (typeof difficulties)[number]['id'];

export const difficultyIds = difficulties.map((level) => level.id) as [
  DifficultyId,
  ...DifficultyId[],
];

export function getDifficultyTitle(id: DifficultyId): string {
  return difficulties.find((level) => level.id === id)?.title ?? id;
}
