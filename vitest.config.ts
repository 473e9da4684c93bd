/// <reference types="vitest" />
import { getViteConfig } from 'astro/config';

// Astro's Vite config, so tests resolve modules (astro:content, ?raw) the way the build does.
export default getViteConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    // Two cores: the Python samples and the browser tests are heavy enough alone.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
