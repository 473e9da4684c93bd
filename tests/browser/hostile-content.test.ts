import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { hostileBuild } from '../support/builds';
import {
  chromiumAvailable,
  chromiumMissingReason,
  openSiteInBrowser,
  type SiteInBrowser,
} from '../support/browser';
import { requireToolOrSkip } from '../support/skip';

const canRun = requireToolOrSkip(chromiumAvailable, chromiumMissingReason);
const pwned = (page: Page) =>
  page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned);

describe.skipIf(!canRun)('hostile content in a browser', () => {
  let site: SiteInBrowser;
  let page: Page;

  beforeAll(async () => {
    site = await openSiteInBrowser({ outDir: hostileBuild.outDir, base: hostileBuild.base });
    page = await site.browser.newPage();
  });

  afterAll(async () => {
    await site?.close();
  });

  test('the page shows the hostile strings and runs none of them', async () => {
    await page.goto(`${site.url}questions/hostile/`);
    await expect(page.locator('h1').textContent()).resolves.toContain('<script>');
    expect(await pwned(page)).toBeUndefined();
  });

  test('search results show the hostile title and excerpt as text', async () => {
    await page.goto(`${site.url}search/?q=Zanzibarquokka`);
    const title = page.locator('.search-result__title').first();
    await title.waitFor();
    await expect(title.textContent()).resolves.toContain(
      "<script>window.__pwned = 'title'</script>",
    );
    await expect(page.locator('.search-result__excerpt').first().textContent()).resolves.toMatch(
      /<script>|<img|Zanzibarquokka/,
    );
    expect(
      await page.locator('.search-results script, .search-results img, .search-results b').count(),
    ).toBe(0);
    expect(await pwned(page)).toBeUndefined();
  });
});
