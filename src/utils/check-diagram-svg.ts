/**
 * Diagrams are inlined into pages, so they must be inert and self-contained.
 * Returns a description of the first problem, or undefined when the SVG is acceptable.
 */
export function checkDiagramSvg(svg: string): string | undefined {
  if (!/<svg\b[^>]*\bviewBox=/.test(svg)) return 'the <svg> element needs a viewBox';
  if (/<script\b/i.test(svg)) return 'scripts are not allowed';
  if (/<style\b/i.test(svg)) return 'use presentation attributes, not a <style> element';
  if (/\son[a-z]+\s*=/i.test(svg)) return 'event-handler attributes are not allowed';
  if (/(?:href|src)\s*=\s*["'](?!#)/i.test(svg)) return 'external references are not allowed';
  return undefined;
}
