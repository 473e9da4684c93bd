import { spawn } from 'node:child_process';

/**
 * Vitest puts its own import.meta.env into process.env (NODE_ENV=test, BASE_URL=/, DEV, ...);
 * an Astro run that inherited them would build in development mode with the wrong base path.
 */
function cleanEnvironment(): NodeJS.ProcessEnv {
  const leaked = new Set(['NODE_ENV', 'BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR', 'TEST']);
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !leaked.has(name) && !name.startsWith('VITEST')),
  );
}

/**
 * Runs the Astro CLI as a user would, with extra environment variables. Asynchronous, so a test
 * worker stays responsive to Vitest while a build runs.
 */
export function runAstro(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['astro', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...cleanEnvironment(), ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1', ...env },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (status) => {
      // Colour codes would split the messages the tests read (CI terminals may force colour).
      // eslint-disable-next-line no-control-regex
      resolve({ status, output: output.replace(/\u001b\[[0-9;]*m/g, '') });
    });
  });
}
