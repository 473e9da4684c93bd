/** Reads built pages as HTML trees, for tests that check the output like a browser would see it. */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Element, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { select, selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';

export interface BuiltPage {
  /** The URL path the page is served at, with the base, e.g. "/sub/questions/x/". */
  url: string;
  file: string;
  html: string;
  tree: Root;
}

export function listHtmlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.html') && !name.startsWith(`pagefind${sep}`))
    .map((name) => join(dir, name));
}

export function urlOfFile(outDir: string, base: string, file: string): string {
  const path = relative(outDir, file).split(sep).join('/');
  const page = path.endsWith('index.html') ? path.slice(0, -'index.html'.length) : path;
  return `${base}${page}`;
}

export function readPage(outDir: string, base: string, file: string): BuiltPage {
  const html = readFileSync(file, 'utf8');
  return { url: urlOfFile(outDir, base, file), file, html, tree: fromHtml(html) };
}

export function readSite(outDir: string, base: string): BuiltPage[] {
  return listHtmlFiles(outDir).map((file) => readPage(outDir, base, file));
}

export const $ = (page: BuiltPage | Root | Element, selector: string) =>
  select(selector, 'tree' in page ? page.tree : page);
export const $$ = (page: BuiltPage | Root | Element, selector: string) =>
  selectAll(selector, 'tree' in page ? page.tree : page);
export const text = (node: Element | Root | undefined) =>
  node ? toString(node).replace(/\s+/g, ' ').trim() : '';
export const attr = (node: Element | undefined, name: string) => {
  const value = node?.properties[name];
  return Array.isArray(value)
    ? value.join(' ')
    : value === undefined || value === null
      ? undefined
      : String(value);
};
