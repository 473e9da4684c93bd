import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { builds, rootBuild } from '../support/builds';
import { axeViolations } from '../support/axe';
import {
  chromiumAvailable,
  chromiumMissingReason,
  openSiteInBrowser,
  type SiteInBrowser,
} from '../support/browser';
import { readBuiltHeaders } from '../support/csp-headers';
import { listHtmlFiles, urlOfFile } from '../support/html';
import { requireToolOrSkip } from '../support/skip';

const canRun = requireToolOrSkip(chromiumAvailable, chromiumMissingReason);

/**
 * Opens a page as a reader would, under the CSP header the build ships, and lists what went
 * wrong: console errors, CSP violations, requests to other origins, failed requests, and (when
 * asked) accessibility violations.
 */
async function audit(context: BrowserContext, url: string, withAxe: boolean): Promise<string[]> {
  const origin = new URL(url).origin;
  const expectNotFound = url.endsWith('/no-such-page/');
  const isShortLink = /\/q\/\d+\/$/.test(url);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    // A missing page is meant to answer 404, and Chromium logs that; nothing else may fail.
    const expected404 = expectNotFound && message.location().url === url;
    if (message.type() === 'error' && !expected404) problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`script error: ${error}`));
  page.on('request', (request) => {
    if (new URL(request.url()).origin !== origin) problems.push(`other origin: ${request.url()}`);
  });
  page.on('requestfailed', (request) => {
    // A short link navigates on at once, cancelling what its page had started to load.
    if (request.failure()?.errorText === 'net::ERR_ABORTED' && isShortLink) return;
    problems.push(`failed: ${request.url()} ${request.failure()?.errorText}`);
  });
  page.on('response', (response) => {
    // The 404 page is meant to answer 404; nothing it loads may.
    if (response.status() >= 400 && response.request().resourceType() !== 'document') {
      problems.push(`${response.status()}: ${response.url()}`);
    }
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`),
    );
  });
  await page.goto(url, { waitUntil: 'load' });
  // Short links redirect: audit the page they land on.
  if (isShortLink) await page.waitForURL(/\/questions\//);
  if (url.includes('?q=')) await page.locator('.search-result__title').first().waitFor();
  if (withAxe) problems.push(...(await axeViolations(page)));
  await page.close();
  return problems.map((problem) => `${url} ${problem}`);
}

describe.skipIf(!canRun).each(builds.map((build) => [build.name, build] as const))(
  '%s build, every page',
  (_name, build) => {
    let site: SiteInBrowser;
    const paths = listHtmlFiles(build.outDir).map((file) =>
      urlOfFile(build.outDir, build.base, file),
    );
    // Accessibility depends on markup and styles, not on the base path: axe runs on the root build.
    const withAxe = build === rootBuild;

    beforeAll(async () => {
      const headers = readBuiltHeaders(build.outDir);
      site = await openSiteInBrowser({ outDir: build.outDir, base: build.base, headers });
    });

    afterAll(async () => {
      await site?.close();
    });

    const urls = () => {
      const origin = new URL(site.url).origin;
      return [
        ...paths.map((path) =>
          path.endsWith('404.html') ? `${site.url}no-such-page/` : `${origin}${path}`,
        ),
        `${site.url}search/?q=attention`,
      ];
    };

    test.each(['light', 'dark'] as const)(
      'in the %s theme: no accessibility violations, errors, CSP violations or foreign requests',
      { timeout: 900_000 },
      async (colorScheme) => {
        const context = await site.browser.newContext({ colorScheme });
        const problems: string[] = [];
        for (const url of urls()) problems.push(...(await audit(context, url, withAxe)));
        await context.close();
        expect(problems).toEqual([]);
      },
    );
  },
);
