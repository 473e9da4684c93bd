/** Site-wide settings, read by astro.config.mjs and the layouts. */
export const siteTitle = 'GenAI Interview Guide';
export const siteDescription =
  'Expert model answers to 75 Generative-AI and LLM interview questions, with tested code, sources and follow-ups.';

/**
 * Where the site is deployed. Both can be overridden at build time:
 * SITE_URL=https://example.org SITE_BASE=/genai-interview/ npm run build
 */
export const siteUrl = process.env.SITE_URL ?? 'https://genai-interview-guide.example.org';
export const siteBase = process.env.SITE_BASE ?? '/';
