import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { compile } from '@mdx-js/mdx';
import { VFile } from 'vfile';
import { remarkContentAsData } from '../../src/markdown/remark-content-as-data';
import { remarkQuestionEmbeds } from '../../src/markdown/remark-question-embeds';
import { remarkQuestionLinks } from '../../src/markdown/remark-question-links';
import { remarkCodeFigures } from '../../src/markdown/remark-code-figures';
import { rehypeHeadingAnchors } from '../../src/markdown/rehype-heading-anchors';
import { rehypeHeadingIds } from '@astrojs/markdown-remark';
import type { QuestionDirectoryEntry } from '../../src/markdown/question-directory';
import { readQuestionDirectory } from '../../src/markdown/question-directory';

const folder = resolve('tests/fixtures/markdown/07-sample');
const directory = new Map<number, QuestionDirectoryEntry>([
  [13, { slug: 'positional-encodings', published: true }],
  [14, { slug: 'pre-training', published: false }],
]);

/** Compiles MDX with our plugins to JS, with the question folder as the file's location. */
async function render(mdx: string, base = '/') {
  const file = new VFile({ path: resolve(folder, 'index.mdx'), value: mdx });
  const output = await compile(file, {
    remarkPlugins: [
      remarkContentAsData,
      remarkQuestionEmbeds,
      [remarkQuestionLinks, { base, directory }],
      remarkCodeFigures,
    ],
    rehypePlugins: [rehypeHeadingIds, rehypeHeadingAnchors],
  });
  return String(output);
}

describe('<CodeSample>', () => {
  test('inlines the file beside the question, in a captioned figure with a copy button', async () => {
    const js = await render('<CodeSample file="hello.py" title="Says hello" />');
    expect(js).toContain('print(\\"hello\\")');
    expect(js).toContain('"hello.py"');
    expect(js).toContain('"Says hello"');
    expect(js).toContain('language-python');
    expect(js).toContain('"Copy"');
  });

  test('a missing file fails with the question file and the attribute', async () => {
    await expect(render('<CodeSample file="missing.py" />')).rejects.toThrow(
      /07-sample\/index\.mdx: <CodeSample file="missing\.py">: no such file beside the question/,
    );
  });

  test('a path outside the folder is refused', async () => {
    await expect(render('<CodeSample file="../../../package.json" />')).rejects.toThrow(
      /name a file in the question's folder/,
    );
  });
});

describe('<Diagram>', () => {
  test('inlines the SVG labelled by its caption', async () => {
    const js = await render('<Diagram file="box.svg" title="A box" />');
    expect(js).toContain('"svg"');
    expect(js).toMatch(/"aria-labelledby": "diagram-box"/);
    expect(js).toContain('"A box"');
  });

  test('an unsafe SVG or a missing title fails the build', async () => {
    await expect(render('<Diagram file="bad.svg" title="x" />')).rejects.toThrow(
      /bad\.svg">: scripts are not allowed/,
    );
    await expect(render('<Diagram file="box.svg" />')).rejects.toThrow(/needs a title/);
  });
});

describe('q:N links', () => {
  test('point at the question page under the base path, keeping the fragment', async () => {
    const js = await render('See [RoPE](q:13#rope).', '/sub/');
    expect(js).toContain('"/sub/questions/positional-encodings/#rope"');
  });

  test('a link to a draft becomes plain text', async () => {
    const js = await render('See [pre-training](q:14) first.');
    expect(js).not.toContain('pre-training/');
    expect(js).toContain('pre-training');
  });

  test('an unknown question fails, naming the file and the link', async () => {
    await expect(render('See [x](q:99).')).rejects.toThrow(
      /index\.mdx: link "q:99" does not name an existing question/,
    );
  });
});

test('headings get an anchor link beside them, not inside them', async () => {
  const js = await render('## Short answer\n\nText.');
  expect(js).toContain('"#short-answer"');
  expect(js).toContain('Section titled “Short answer”');
});

test('the question directory reads numbers, slugs and status from the content folder', () => {
  const real = readQuestionDirectory(resolve('content/questions'));
  expect(real.size).toBe(75);
  expect(real.get(12)?.slug).toBe('attention-mechanisms');
});

describe('answers are data, not code', () => {
  test('HTML and JSX in an answer are shown as the text the author typed', async () => {
    const js = await render(
      '<script>alert("x")</script>\n\nInline <img src="x" onError="alert(1)" /> here.',
    );
    expect(js).toContain('"<script>alert(\\"x\\")</script>"');
    expect(js).toContain('<img src=\\"x\\" onError=\\"alert(1)\\" />');
    expect(js).not.toMatch(/_jsx\("script"|_components\.script|"img"/);
  });

  test('expressions are not evaluated', async () => {
    const js = await render('Total: {1 + 1} and {process.exit(1)}');
    expect(js).toContain('{1 + 1}');
    expect(js).toContain('{process.exit(1)}');
    expect(js).not.toMatch(/process\.exit\(1\)[^}"]/);
  });

  test('import and export statements fail the build, naming the file', async () => {
    await expect(render('import fs from "node:fs"\n\nText')).rejects.toThrow(
      /07-sample\/index\.mdx: import and export statements are not allowed/,
    );
  });

  test('links with a script or data URL fail the build, naming the file and the link', async () => {
    await expect(render('[x](javascript:alert(1))')).rejects.toThrow(
      /index\.mdx: link "javascript:alert\(1\)" uses a URL scheme that is not allowed/,
    );
    await expect(render('![x](data:image/svg+xml,abc)')).rejects.toThrow(/not allowed/);
    await expect(
      render('[ok](https://arxiv.org/abs/1706.03762) [ok](#x) [ok](q:13)'),
    ).resolves.toContain('arxiv.org');
  });
});
