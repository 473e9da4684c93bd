/**
 * JSON that is safe inside a <script> element: "<" is escaped so a value containing
 * "</script>" cannot close the element early.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}
