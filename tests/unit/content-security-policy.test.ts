import { createHash } from 'node:crypto';
import { expect, test } from 'vitest';
import { contentSecurityPolicy, scriptHashSource } from '../../src/utils/content-security-policy';

test('hashes an inline script the way browsers check it: SHA-256 of its exact text, base64', () => {
  const source = 'document.documentElement.classList.add("js");';
  const expected = createHash('sha256').update(source).digest('base64');
  expect(scriptHashSource(source)).toBe(`'sha256-${expected}'`);
  expect(scriptHashSource(`${source} `)).not.toBe(scriptHashSource(source));
});

test('allows only our own files, the hashed inline script and WebAssembly', () => {
  const policy = contentSecurityPolicy(['a()'], 'header');
  const directives = Object.fromEntries(
    policy.split('; ').map((directive) => {
      const [name, ...values] = directive.split(' ');
      return [name, values];
    }),
  );
  expect(directives['default-src']).toEqual(["'self'"]);
  expect(directives['script-src']).toEqual([
    "'self'",
    "'wasm-unsafe-eval'",
    scriptHashSource('a()'),
  ]);
  expect(directives['style-src']).toEqual(["'self'"]);
  expect(directives['object-src']).toEqual(["'none'"]);
  expect(directives['frame-ancestors']).toEqual(["'none'"]);
  expect(policy).not.toMatch(/unsafe-inline'; script|https?:|\*/);
});

test('the <meta> version leaves out frame-ancestors, which browsers ignore there', () => {
  expect(contentSecurityPolicy([], 'meta')).not.toContain('frame-ancestors');
});
