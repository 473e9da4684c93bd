import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { contentSecurityPolicy } from '../utils/content-security-policy';

/** Response headers for every page, as a static host should send them. */
export function securityHeaders(pageScript: string): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy([pageScript], 'header'),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
  };
}

/**
 * Writes `_headers` (the format Netlify and Cloudflare Pages read) into the build, so the
 * policy ships with the site. Pages also carry the policy in a <meta> tag for hosts that
 * cannot set headers, such as GitHub Pages.
 */
export function securityHeadersIntegration(): AstroIntegration {
  return {
    name: 'security-headers',
    hooks: {
      'astro:build:done': ({ dir }) => {
        const pageScript = readFileSync(
          new URL('../scripts/page-bootstrap.js', import.meta.url),
          'utf8',
        );
        const lines = Object.entries(securityHeaders(pageScript)).map(
          ([name, value]) => `  ${name}: ${value}`,
        );
        writeFileSync(fileURLToPath(new URL('_headers', dir)), `/*\n${lines.join('\n')}\n`);
      },
    },
  };
}
