/**
 * A test whose tool is missing may skip on a developer's machine, saying why; in CI it fails,
 * because CI installs everything and nothing there may skip.
 */
export function requireToolOrSkip(available: boolean, reason: string): boolean {
  if (available) return true;
  if (process.env.CI) throw new Error(`Required in CI: ${reason}`);
  console.warn(`SKIPPED: ${reason}`);
  return false;
}
