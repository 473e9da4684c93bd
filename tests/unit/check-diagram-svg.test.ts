import { expect, test } from 'vitest';
import { checkDiagramSvg } from '../../src/utils/check-diagram-svg';

const ok =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="5" height="5" fill="currentColor"/><use href="#a"/></svg>';

test('accepts an inert, self-contained SVG', () => {
  expect(checkDiagramSvg(ok)).toBeUndefined();
});

test('rejects SVGs that could run code, load things or break theming', () => {
  expect(checkDiagramSvg('<svg><rect/></svg>')).toMatch(/viewBox/);
  expect(checkDiagramSvg(ok.replace('<rect', '<script>alert(1)</script><rect'))).toMatch(/scripts/);
  expect(checkDiagramSvg(ok.replace('<rect', '<rect onclick="x()"'))).toMatch(/event-handler/);
  expect(checkDiagramSvg(ok.replace('href="#a"', 'href="https://evil.example/x.svg"'))).toMatch(
    /external/,
  );
  expect(checkDiagramSvg(ok.replace('<rect', '<style>rect{}</style><rect'))).toMatch(/style/);
});
