/** Outside Astro, a collection definition is just its options (see scripts/vite.config.ts). */
export function defineCollection<T>(collection: T): T {
  return collection;
}
