import { test } from 'vitest';

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

/** Stands in for `test` where a test does not apply: it defines nothing (so nothing "skips"). */
const notDefined = Object.assign(() => undefined, {
  each: () => () => undefined,
}) as unknown as typeof test;

/**
 * `test` when the test applies to this build (axe and no-JavaScript checks run on the root
 * build only: the sub-path build serves the same markup), otherwise a test that is not defined.
 */
export function testWhen(applies: boolean): typeof test {
  return applies ? test : notDefined;
}
