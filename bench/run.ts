/**
 * `npm run bench`: builds the site, serves it gzip-compressed on loopback and measures, in
 * headless Chromium, what a reader's browser fetches on first visits and on searches. Prints a
 * table beside the Starlight reference and writes bench/results/latest.json.
 *
 * The build goes to dist-bench/ (base `/`), not dist/, so a test run rebuilding dist/ at the
 * same time cannot change the files under measurement.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runAstro } from '../tests/support/astro-cli';
import { chromiumPath, launchBrowser } from '../tests/support/browser';
import {
  freshFirstVisit,
  kilobytes,
  headerBox,
  measureSearch,
  representativeSearches,
  searchPageBox,
  resourceKinds,
  type SearchMeasurement,
  type Weight,
} from '../tests/support/page-weight';
import { startStaticServer } from '../tests/support/static-server';
import { measureFeaturePages, measureTokenizerTables } from './features';

const outDir = resolve('dist-bench');
const base = '/';
const searchRuns = Number(process.env.BENCH_SEARCH_RUNS ?? 5);

const pages = [
  { name: 'home', path: '' },
  { name: 'topic', path: 'topics/architecture/' },
  { name: 'question (math)', path: 'questions/attention-mechanisms/' },
  { name: 'question (code)', path: 'questions/transformer-block-in-pytorch/' },
  { name: 'question (plain)', path: 'questions/applications-of-llms/' },
  { name: 'search (empty)', path: 'search/' },
];

/** Starlight built with 75 pages of similar text, as given in the issue. */
const starlight = {
  questionPage: { jsKB: 33, totalKB: 60, requests: 10 },
  searchFirstResultMs: 450,
};

/** Byte budgets are asserted by the tests too; the time target only here, as a figure. */
const budgets = {
  plainQuestionPageBytes: 25 * 1024,
  firstQueryBytes: 120 * 1024,
  laterQueryBytes: 30 * 1024,
  medianFirstResultMs: 200,
};

interface BoxMeasurement extends SearchMeasurement {
  box: string;
}

async function build() {
  const started = performance.now();
  const result = await runAstro(['build', '--outDir', outDir], { SITE_BASE: base });
  const buildMs = Math.round(performance.now() - started);
  if (result.status !== 0) throw new Error(`astro build failed:\n${result.output}`);
  // eslint-disable-next-line no-control-regex
  const log = result.output.replace(/\u001b\[[0-9;]*m/g, '');
  const indexed = /indexed (\d+) pages in (\d+) ms/.exec(log);
  if (!indexed) throw new Error('no "indexed N pages in X ms" line in the build output');
  return { buildMs, indexedPages: Number(indexed[1]), indexMs: Number(indexed[2]) };
}

function chromiumVersion(): string {
  try {
    return execFileSync(chromiumPath, ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'unknown';
  }
}

const cell = (tally: { requests: number; bytes: number }) =>
  tally.requests === 0 ? '-' : `${tally.requests} / ${kilobytes(tally.bytes)}`;

function pageTable(rows: { name: string; weight: Weight }[]): string {
  const header = ['page', ...resourceKinds, 'total'];
  const body = rows.map(({ name, weight }) => [
    name,
    ...resourceKinds.map((kind) => cell(weight.byKind[kind])),
    cell(weight.total),
  ]);
  body.push([
    'Starlight question',
    '',
    '',
    `? / ${starlight.questionPage.jsKB}.0`,
    '',
    '',
    '',
    `${starlight.questionPage.requests} / ~${starlight.questionPage.totalKB}.0`,
  ]);
  return formatTable(header, body);
}

function searchTable(rows: BoxMeasurement[]): string {
  const header = [
    'where: first → later query',
    'first KB (req)',
    'later KB (req)',
    'ms first',
    'ms later',
  ];
  const body = rows.map((row) => [
    `${row.box}: ${row.first} → ${row.later}`,
    `${kilobytes(row.firstQuery.total.bytes)} (${row.firstQuery.total.requests})`,
    `${kilobytes(row.laterQuery.total.bytes)} (${row.laterQuery.total.requests})`,
    String(Math.round(row.medianFirstMs)),
    String(Math.round(row.medianLaterMs)),
  ]);
  body.push(['Starlight', '', '', `~${starlight.searchFirstResultMs}`, '']);
  return formatTable(header, body);
}

function formatTable(header: string[], body: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...body.map((row) => row[column].length)),
  );
  const line = (row: string[]) =>
    row
      .map((text, column) =>
        (column === 0 ? text.padEnd : text.padStart).call(text, widths[column]),
      )
      .join('  ');
  return [
    line(header),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...body.map(line),
  ].join('\n');
}

/** What weighs most in a measurement, by file. */
function heaviest(weight: Weight, count = 3): string {
  return [...weight.resources]
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, count)
    .map((resource) => `${new URL(resource.url).pathname} ${kilobytes(resource.bytes)} KB`)
    .join(', ');
}

/**
 * A query's bytes by kind of file: scripts, WebAssembly, index chunks, our catalogue, section
 * and vocabulary files, fragments.
 */
function searchBreakdown(weight: Weight): string {
  const groups = new Map<string, { requests: number; bytes: number }>();
  for (const resource of weight.resources) {
    const path = new URL(resource.url).pathname;
    const group = /\/fragment\//.test(path)
      ? 'fragments'
      : /\/sections\//.test(path)
        ? 'sections'
        : /\/vocabulary\//.test(path)
          ? 'vocabulary'
          : /catalogue\.json$/.test(path)
            ? 'catalogue'
            : /\/index\//.test(path)
              ? 'index chunks'
              : /\/filter\//.test(path)
                ? 'filter chunks'
                : /wasm/.test(path)
                  ? 'wasm'
                  : /\.js$/.test(path)
                    ? 'scripts'
                    : 'metadata';
    const tally = groups.get(group) ?? { requests: 0, bytes: 0 };
    tally.requests += 1;
    tally.bytes += resource.bytes;
    groups.set(group, tally);
  }
  return [...groups]
    .sort(([, a], [, b]) => b.bytes - a.bytes)
    .map(([group, tally]) => `${group} ${tally.requests} / ${kilobytes(tally.bytes)} KB`)
    .join(', ');
}

async function main() {
  console.log(`building into ${outDir} ...`);
  const timing = await build();
  console.log(
    `build ${(timing.buildMs / 1000).toFixed(1)} s, of which indexing ${timing.indexedPages} pages ${timing.indexMs} ms`,
  );

  const server = await startStaticServer({ outDir, base, compress: true });
  const browser = await launchBrowser();
  try {
    const pageRows: { name: string; url: string; weight: Weight }[] = [];
    for (const page of pages) {
      const url = `${server.url}${page.path}`;
      pageRows.push({ name: page.name, url, weight: await freshFirstVisit(browser, url) });
    }
    const searches: BoxMeasurement[] = [];
    for (const box of [searchPageBox, headerBox]) {
      for (const queries of representativeSearches) {
        const url = `${server.url}${box.path}`;
        const measured = await measureSearch(browser, url, queries, searchRuns, box);
        searches.push({ box: box.name, ...measured });
      }
    }
    const features = await measureFeaturePages(browser, server.url);
    const tokenizerTables = await measureTokenizerTables(browser, server.url);
    const medians = searches.flatMap((search) => [search.medianFirstMs, search.medianLaterMs]);

    const plain = pageRows.find((row) => row.name === 'question (plain)')!.weight;
    const budgetResults = {
      plainQuestionPage: {
        bytes: plain.total.bytes,
        limit: budgets.plainQuestionPageBytes,
        pass: plain.total.bytes < budgets.plainQuestionPageBytes,
      },
      featureScripts: features.map((row) => ({
        page: row.name,
        bytes: row.scripts.bytes,
        limit: row.limit,
        pass: row.scripts.bytes <= row.limit,
      })),
      firstQuery: {
        bytes: Math.max(...searches.map((search) => search.firstQuery.total.bytes)),
        limit: budgets.firstQueryBytes,
        pass: searches.every((search) => search.firstQuery.total.bytes <= budgets.firstQueryBytes),
      },
      laterQuery: {
        bytes: Math.max(...searches.map((search) => search.laterQuery.total.bytes)),
        limit: budgets.laterQueryBytes,
        pass: searches.every((search) => search.laterQuery.total.bytes <= budgets.laterQueryBytes),
      },
      firstResultMs: {
        ms: Math.max(...medians),
        limit: budgets.medianFirstResultMs,
        pass: medians.every((ms) => ms <= budgets.medianFirstResultMs),
      },
    };

    console.log('\nFirst visit, empty cache, gzip: requests / KB received (headers + body)\n');
    console.log(pageTable(pageRows));
    for (const row of pageRows) console.log(`  ${row.name}: heaviest ${heaviest(row.weight)}`);
    console.log(
      `\nSearch: KB received for the first and a later query; ms from the last keystroke to the first result, median of ${searchRuns}\n`,
    );
    console.log(searchTable(searches));
    for (const search of searches) {
      console.log(`  ${search.box}, ${search.first}: ${searchBreakdown(search.firstQuery)}`);
      console.log(`  ${search.box}, ${search.later}: ${searchBreakdown(search.laterQuery)}`);
    }
    console.log('\nStudy tools and labs: script received before any interaction (requests / KB)\n');
    console.log(
      formatTable(
        ['page', 'script', 'budget KB'],
        features.map((row) => [row.name, cell(row.scripts), kilobytes(row.limit)]),
      ),
    );
    console.log(
      `  tokenizer merge tables, each fetched when its encoding is ticked: ${tokenizerTables
        .map((table) => `${table.encoding} ${kilobytes(table.bytes)} KB`)
        .join(', ')}`,
    );
    console.log(
      `\nBuild: ${(timing.buildMs / 1000).toFixed(1)} s total; Pagefind indexed ${timing.indexedPages} pages in ${timing.indexMs} ms`,
    );
    console.log('\nBudgets:');
    console.log(
      `  plain question page < 25 KB: ${kilobytes(plain.total.bytes)} KB ${budgetResults.plainQuestionPage.pass ? 'PASS' : 'FAIL'}`,
    );
    for (const row of budgetResults.featureScripts)
      console.log(
        `  script on ${row.page} <= ${kilobytes(row.limit)} KB: ${kilobytes(row.bytes)} KB ${row.pass ? 'PASS' : 'FAIL'}`,
      );
    console.log(
      `  first search query <= 120 KB: up to ${kilobytes(budgetResults.firstQuery.bytes)} KB ${budgetResults.firstQuery.pass ? 'PASS' : 'FAIL'}`,
    );
    console.log(
      `  later search query <= 30 KB: up to ${kilobytes(budgetResults.laterQuery.bytes)} KB ${budgetResults.laterQuery.pass ? 'PASS' : 'FAIL'}`,
    );
    console.log(
      `  median keystroke to first result <= 200 ms: up to ${Math.round(budgetResults.firstResultMs.ms)} ms ${budgetResults.firstResultMs.pass ? 'PASS' : 'FAIL'}`,
    );

    const results = {
      date: new Date().toISOString(),
      versions: {
        node: process.version,
        chromium: chromiumVersion(),
        chromiumFromBrowser: browser.version(),
      },
      bytes:
        'response headers + compressed body received, per request (playwright request.sizes())',
      build: timing,
      pages: pageRows,
      search: { runs: searchRuns, measurements: searches },
      features,
      tokenizerTables,
      budgets: budgetResults,
      reference: { starlight },
    };
    mkdirSync(resolve('bench/results'), { recursive: true });
    const file = resolve('bench/results/latest.json');
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nwrote ${file}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
