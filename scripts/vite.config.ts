import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Scripts load the content schema outside Astro, where `astro:content` is not a module: the
// schema needs only `defineCollection`, which the stand-in provides as the identity.
export default defineConfig({
  resolve: {
    alias: {
      'astro:content': fileURLToPath(new URL('./astro-content-stand-in.ts', import.meta.url)),
    },
  },
});
