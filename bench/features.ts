/**
 * Script cost of the study tools and the labs (issues 15 and 16): what each page fetches as
 * JavaScript on a first visit, before the reader touches anything, and what the tokenizer lab
 * fetches for each merge table when the reader ticks it.
 */
import type { Browser } from 'playwright-core';
import { labs } from '../src/data/labs';
import {
  freshFirstVisit,
  NetworkRecorder,
  withFreshPage,
  type Weight,
} from '../tests/support/page-weight';

export interface ScriptRow {
  name: string;
  path: string;
  /** Script requests and bytes (headers + gzip body) before any interaction. */
  scripts: { requests: number; bytes: number };
  /** Budget in bytes for this page's script, from the issue. */
  limit: number;
}

export interface TableRow {
  encoding: string;
  bytes: number;
}

const kb = 1024;

/** Pages that carry a study or lab island, with the budget for each. */
export const featurePages = [
  {
    name: 'question page (marking, self-test)',
    path: 'questions/attention-mechanisms/',
    limit: 5 * kb,
  },
  { name: 'home (progress, lists)', path: '', limit: 15 * kb },
  { name: 'topic (progress, lists)', path: 'topics/architecture/', limit: 15 * kb },
  { name: 'practice', path: 'practice/', limit: 15 * kb },
  ...labs.map((lab) => ({ name: `lab: ${lab.id}`, path: `labs/${lab.id}/`, limit: 15 * kb })),
];

const scriptsOf = (weight: Weight) => weight.byKind.js;

export async function measureFeaturePages(browser: Browser, siteUrl: string): Promise<ScriptRow[]> {
  const rows: ScriptRow[] = [];
  for (const page of featurePages) {
    const weight = await freshFirstVisit(browser, `${siteUrl}${page.path}`);
    rows.push({ ...page, scripts: scriptsOf(weight) });
  }
  return rows;
}

/** Bytes of each tokenizer merge table, fetched when the reader ticks its encoding. */
export async function measureTokenizerTables(
  browser: Browser,
  siteUrl: string,
): Promise<TableRow[]> {
  return withFreshPage(browser, async (page) => {
    await page.goto(`${siteUrl}labs/tokenizer/`, { waitUntil: 'load' });
    const recorder = new NetworkRecorder(page);
    await page.getByLabel('Text to tokenize').focus();
    await page.getByRole('checkbox', { name: /GPT-2/ }).check();
    await page.getByRole('checkbox', { name: /GPT-4o/ }).check();
    for (const encoding of ['r50k_base', 'cl100k_base', 'o200k_base'])
      await page
        .locator(`[data-panel="${encoding}"] [data-stat="tokens"]`)
        .filter({ hasText: /\d/ })
        .waitFor();
    const weight = await recorder.take();
    return weight.resources
      .filter((resource) => /\/islands\/tokenizer-/.test(resource.url))
      .map((resource) => ({
        encoding: /tokenizer-([a-z0-9_]+)\./.exec(resource.url)?.[1] ?? resource.url,
        bytes: resource.bytes,
      }));
  });
}
