// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';
import { rehypeHeadingIds } from '@astrojs/markdown-remark';
import { siteBase, siteUrl } from './src/data/site';
import { pagefindIntegration } from './src/integrations/pagefind';
import { securityHeadersIntegration } from './src/integrations/security-headers';
import { readQuestionDirectory } from './src/markdown/question-directory';
import { remarkContentAsData } from './src/markdown/remark-content-as-data';
import { remarkQuestionEmbeds } from './src/markdown/remark-question-embeds';
import { remarkQuestionLinks } from './src/markdown/remark-question-links';
import { remarkCodeFigures } from './src/markdown/remark-code-figures';
import { rehypeHeadingAnchors } from './src/markdown/rehype-heading-anchors';
import { rehypeMathIndexOnce } from './src/markdown/rehype-math-index-once';
import { rehypeUnindexedReferences } from './src/markdown/rehype-unindexed-references';

const questionsDir = process.env.QUESTIONS_DIR ?? 'content/questions';

export default defineConfig({
  // Tests that build fixture content use their own cache, so they never disturb the real one.
  cacheDir: process.env.ASTRO_CACHE_DIR ?? './node_modules/.astro',
  site: siteUrl,
  base: siteBase,
  trailingSlash: 'always',
  // Every page is plain HTML and CSS; scripts are opt-in per component.
  build: { format: 'directory', inlineStylesheets: 'never' },
  devToolbar: { enabled: false },
  markdown: {
    shikiConfig: {
      themes: { light: 'github-light-default', dark: 'github-dark-default' },
      // Colours switch with the theme through CSS variables (see src/styles/global.css).
      defaultColor: false,
    },
    remarkPlugins: [
      remarkMath,
      remarkContentAsData,
      remarkQuestionEmbeds,
      [remarkQuestionLinks, { base: siteBase, directory: readQuestionDirectory(questionsDir) }],
      remarkCodeFigures,
    ],
    rehypePlugins: [
      // MathML needs no fonts and no client script.
      [rehypeKatex, { output: 'mathml' }],
      rehypeMathIndexOnce,
      rehypeHeadingIds,
      rehypeHeadingAnchors,
      rehypeUnindexedReferences,
    ],
  },
  // Scripts always ship as files: the Content-Security-Policy allows only hashed inline code.
  vite: { build: { assetsInlineLimit: 0 } },
  integrations: [mdx(), pagefindIntegration(), securityHeadersIntegration()],
});
