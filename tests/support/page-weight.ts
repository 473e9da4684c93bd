/**
 * Page weight and search cost, measured in headless Chromium against the static server with
 * `compress: true`. Shared by the benchmark (bench/run.ts) and the budget tests
 * (tests/browser/budgets.test.ts), so both see the same figures.
 *
 * Bytes are bytes received on the wire for each response: the response headers plus the
 * compressed (gzip) body as transferred, from playwright's `request.sizes()`
 * (responseHeadersSize + responseBodySize, which Chromium takes from
 * `Network.loadingFinished.encodedDataLength`). Request headers sent are not counted.
 * Unlike a CDP session on the page, playwright also sees the requests of dedicated workers,
 * where Pagefind fetches its WebAssembly, index chunks and fragments.
 */
import { gzipSync } from 'node:zlib';
import type { Browser, Page, Request } from 'playwright-core';

export const resourceKinds = ['html', 'css', 'js', 'font', 'image', 'other'] as const;
export type ResourceKind = (typeof resourceKinds)[number];

export interface Tally {
  requests: number;
  bytes: number;
}

export interface Resource {
  url: string;
  kind: ResourceKind;
  status: number;
  bytes: number;
}

export interface Weight {
  byKind: Record<ResourceKind, Tally>;
  total: Tally;
  resources: Resource[];
}

export function kindOf(resourceType: string, url: string): ResourceKind {
  const path = new URL(url).pathname;
  if (resourceType === 'document' || /\.html?$/.test(path)) return 'html';
  if (resourceType === 'stylesheet' || /\.css$/.test(path)) return 'css';
  if (resourceType === 'script' || /\.m?js$/.test(path)) return 'js';
  if (resourceType === 'font' || /\.(woff2?|ttf|otf)$/.test(path)) return 'font';
  if (resourceType === 'image' || /\.(svg|png|jpe?g|gif|webp|avif|ico)$/.test(path)) return 'image';
  return 'other';
}

export function tally(resources: readonly Resource[]): Weight {
  const byKind = Object.fromEntries(
    resourceKinds.map((kind) => [kind, { requests: 0, bytes: 0 }]),
  ) as Record<ResourceKind, Tally>;
  const total: Tally = { requests: 0, bytes: 0 };
  for (const resource of resources) {
    byKind[resource.kind].requests += 1;
    byKind[resource.kind].bytes += resource.bytes;
    total.requests += 1;
    total.bytes += resource.bytes;
  }
  return { byKind, total, resources: [...resources] };
}

/** Bytes received for one finished request: response headers plus the encoded body. */
async function bytesReceived(request: Request): Promise<number> {
  const sizes = await request.sizes();
  let body = sizes.responseBodySize;
  const response = await request.response();
  if (body === 0 && response && response.status() === 200) {
    // Chromium reports no encoded length for a dedicated worker's own script
    // (pagefind-worker.js). Rebuild it: the static server gzips with zlib's defaults, so
    // recompressing the body the same way gives the transferred size (less ~20 bytes of
    // chunked framing).
    const raw = await response.body().catch(() => undefined);
    if (raw && raw.length > 0) {
      const encoding = (await response.allHeaders())['content-encoding'];
      body = encoding === 'gzip' ? gzipSync(raw).length : raw.length;
    }
  }
  return sizes.responseHeadersSize + body;
}

/**
 * Records every request a page (and its workers) makes, from construction or the last take().
 * `ignore` leaves out requests that are not the page's doing.
 */
export class NetworkRecorder {
  private resources: Resource[] = [];
  private pending = new Set<Promise<void>>();
  private inFlight = new Set<Request>();
  private lastActivity = Date.now();

  constructor(
    page: Page,
    private readonly ignore: (url: string) => boolean = () => false,
  ) {
    page.on('request', (request) => {
      if (this.ignore(request.url())) return;
      this.inFlight.add(request);
      this.lastActivity = Date.now();
    });
    page.on('requestfailed', (request) => {
      this.inFlight.delete(request);
      this.lastActivity = Date.now();
    });
    page.on('requestfinished', (request) => {
      if (this.ignore(request.url())) return;
      const done = this.record(request).finally(() => {
        this.inFlight.delete(request);
        this.pending.delete(done);
        this.lastActivity = Date.now();
      });
      this.pending.add(done);
    });
  }

  private async record(request: Request): Promise<void> {
    const response = await request.response();
    this.resources.push({
      url: request.url(),
      kind: kindOf(request.resourceType(), request.url()),
      status: response?.status() ?? 0,
      bytes: await bytesReceived(request),
    });
  }

  /** Waits until no request has been in flight for `quietMs`. */
  async idle(quietMs = 500, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await Promise.all([...this.pending]);
      const quiet = this.inFlight.size === 0 && Date.now() - this.lastActivity >= quietMs;
      if (quiet) return;
      if (Date.now() > deadline) {
        const open = [...this.inFlight].map((request) => request.url()).join(', ');
        throw new Error(`network not idle after ${timeoutMs} ms: ${open}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The requests recorded so far, forgetting them. */
  async take(): Promise<Weight> {
    await this.idle();
    const taken = this.resources;
    this.resources = [];
    return tally(taken);
  }
}

/**
 * A first visit to `url` on `page`, whose context must be fresh (empty cache): everything
 * fetched until the network has been quiet for half a second after `load`.
 */
export async function measureFirstVisit(page: Page, url: string): Promise<Weight> {
  const recorder = new NetworkRecorder(page);
  const response = await page.goto(url, { waitUntil: 'load' });
  if (!response?.ok()) throw new Error(`${url} answered ${response?.status()}`);
  return recorder.take();
}

/** Runs `measure` on a page in a new browser context, so the HTTP cache starts empty. */
export async function withFreshPage<T>(
  browser: Browser,
  measure: (page: Page) => Promise<T>,
): Promise<T> {
  const context = await browser.newContext();
  try {
    return await measure(await context.newPage());
  } finally {
    await context.close();
  }
}

export function freshFirstVisit(browser: Browser, url: string): Promise<Weight> {
  return withFreshPage(browser, (page) => measureFirstVisit(page, url));
}

/** Queries a reader might type: a first one, then a later one in the same visit. */
export const representativeSearches: readonly { first: string; later: string }[] = [
  { first: 'attention', later: 'beam search' },
  { first: 'hallucination', later: 'tokenizer' },
  { first: 'fine-tuning', later: 'positional encoding' },
];

/** Roughly how fast a person types; the first keystrokes overlap Pagefind's loading. */
export const typingDelayMs = 100;

/** Where a search is typed and where its results appear: the search page, or the header box. */
export interface SearchBox {
  name: string;
  /** The page it is measured on, relative to the site root. */
  path: string;
  input: string;
  list: string;
  status: string;
}

export const searchPageBox: SearchBox = {
  name: 'search page',
  path: 'search/',
  input: '[data-search-input]',
  list: '[data-search-results]',
  status: '[data-search-status]',
};

export const headerBox: SearchBox = {
  name: 'header box',
  path: 'topics/',
  input: '#header-search',
  list: '[data-search-popup-results]',
  status: '[data-search-popup-status]',
};

export interface SearchRun {
  firstQuery: Weight;
  laterQuery: Weight;
  /** From the last keystroke to the first result of that query, measured in the page. */
  firstMs: number;
  laterMs: number;
}

/**
 * Headless Chromium asks for the favicon again on every history.replaceState (the server sends
 * no cache headers); a browser keeps it, and it is not the search's doing.
 */
const isFavicon = (url: string) => new URL(url).pathname.endsWith('/favicon.svg');

interface TimingState {
  expected: string;
  lastKey?: number;
  firstResult?: number;
}

/** Starts the in-page clock: keydown marks the keystroke, a MutationObserver the result. */
async function installTiming(page: Page, box: SearchBox): Promise<void> {
  await page.evaluate((box) => {
    const state: TimingState = { expected: '' };
    (window as unknown as { __searchTiming: TimingState }).__searchTiming = state;
    const list = document.querySelector(box.list)!;
    const status = document.querySelector(box.status)!;
    document.addEventListener(
      'keydown',
      () => {
        state.lastKey = performance.now();
        state.firstResult = undefined;
      },
      { capture: true },
    );
    new MutationObserver(() => {
      if (state.lastKey === undefined || state.firstResult !== undefined) return;
      // Only the results of the query typed last count, not those of a prefix.
      const ours = (status.textContent ?? '').includes(`“${state.expected}”`);
      if (ours && list.querySelector('.search-result__title'))
        state.firstResult = performance.now();
    }).observe(list, { childList: true, subtree: true });
  }, box);
}

/**
 * How the query goes in: `typed` key by key at a person's pace (the benchmark: prefixes may
 * search too, as they would for a reader), or `pasted` as one input event (the budget tests:
 * exactly one search, so the bytes do not depend on how busy the machine is).
 */
export type QueryInput = 'typed' | 'pasted';

async function typeQuery(page: Page, recorder: NetworkRecorder, query: string, input: QueryInput) {
  await page.evaluate((expected) => {
    const state = (window as unknown as { __searchTiming: TimingState }).__searchTiming;
    state.expected = expected;
    // A paste has no keydown: it is the last "keystroke".
    state.lastKey = performance.now();
    state.firstResult = undefined;
  }, query);
  if (input === 'typed') await page.keyboard.type(query, { delay: typingDelayMs });
  else await page.keyboard.insertText(query);
  await page.waitForFunction(
    () =>
      (window as unknown as { __searchTiming: TimingState }).__searchTiming.firstResult !==
      undefined,
    undefined,
    { timeout: 30_000 },
  );
  const ms = await page.evaluate(() => {
    const state = (window as unknown as { __searchTiming: TimingState }).__searchTiming;
    return state.firstResult! - state.lastKey!;
  });
  return { weight: await recorder.take(), ms };
}

/**
 * One visit to the search page (`searchUrl`, on a fresh context): bytes fetched from the moment
 * the reader focuses the box and types `first` until its results are in and the network is
 * quiet (pagefind.js, its worker and WebAssembly, index chunks, fragments); then the same for
 * `later`, typed after clearing the box.
 */
export async function measureSearchRun(
  page: Page,
  searchUrl: string,
  first: string,
  later: string,
  input: QueryInput = 'typed',
  box: SearchBox = searchPageBox,
): Promise<SearchRun> {
  await page.goto(searchUrl, { waitUntil: 'load' });
  await installTiming(page, box);
  const recorder = new NetworkRecorder(page, isFavicon);
  await new Promise((resolve) => setTimeout(resolve, 500));
  await recorder.take(); // anything the page itself still loads is not the query's
  await page.click(box.input);
  const firstQuery = await typeQuery(page, recorder, first, input);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Backspace');
  await page.waitForFunction(
    (list) => document.querySelector(list)?.childElementCount === 0,
    box.list,
  );
  await recorder.take(); // clearing the box fetches nothing, but keep it apart
  const laterQuery = await typeQuery(page, recorder, later, input);
  return {
    firstQuery: firstQuery.weight,
    laterQuery: laterQuery.weight,
    firstMs: firstQuery.ms,
    laterMs: laterQuery.ms,
  };
}

export interface SearchMeasurement {
  first: string;
  later: string;
  /** Bytes of the first run; they do not depend on timing. */
  firstQuery: Weight;
  laterQuery: Weight;
  firstMs: number[];
  laterMs: number[];
  medianFirstMs: number;
  medianLaterMs: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** `runs` visits to the search page, each on a fresh context. */
export async function measureSearch(
  browser: Browser,
  searchUrl: string,
  queries: { first: string; later: string },
  runs = 5,
  box: SearchBox = searchPageBox,
): Promise<SearchMeasurement> {
  const results: SearchRun[] = [];
  for (let run = 0; run < runs; run += 1) {
    results.push(
      await withFreshPage(browser, (page) =>
        measureSearchRun(page, searchUrl, queries.first, queries.later, 'typed', box),
      ),
    );
  }
  const firstMs = results.map((run) => run.firstMs);
  const laterMs = results.map((run) => run.laterMs);
  return {
    ...queries,
    firstQuery: results[0].firstQuery,
    laterQuery: results[0].laterQuery,
    firstMs,
    laterMs,
    medianFirstMs: median(firstMs),
    medianLaterMs: median(laterMs),
  };
}

export const kilobytes = (bytes: number): string => (bytes / 1024).toFixed(1);
