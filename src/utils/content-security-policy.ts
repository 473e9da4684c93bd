import { createHash } from 'node:crypto';

/** The CSP source for an inline script: its SHA-256, base64, quoted. */
export function scriptHashSource(source: string): string {
  return `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`;
}

/**
 * The site's Content-Security-Policy. Scripts: our own files, the hashed inline page script,
 * and WebAssembly for Pagefind (its search runs in a same-origin worker). Styles: our own
 * files, plus style attributes, which Shiki uses for token colours. Nothing from other origins.
 * `frame-ancestors` only works as a header, so the <meta> version leaves it out.
 */
export function contentSecurityPolicy(
  inlineScripts: readonly string[],
  as: 'header' | 'meta',
): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'wasm-unsafe-eval' ${inlineScripts.map(scriptHashSource).join(' ')}`.trim(),
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ];
  if (as === 'header') directives.push("frame-ancestors 'none'");
  return directives.join('; ');
}
