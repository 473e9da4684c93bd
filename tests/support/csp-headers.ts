import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The headers the build's `_headers` file tells a static host to send for every page. */
export function readBuiltHeaders(outDir: string): Record<string, string> {
  const lines = readFileSync(join(outDir, '_headers'), 'utf8').split('\n');
  return Object.fromEntries(
    lines
      .filter((line) => /^\s+[\w-]+:/.test(line))
      .map((line) => {
        const [name, ...value] = line.trim().split(':');
        return [name, value.join(':').trim()];
      }),
  );
}
