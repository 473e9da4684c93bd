import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startStaticServer, type StaticServerOptions } from './static-server';

/** Debian's Chromium; playwright's own browser download cannot work offline. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumAvailable = existsSync(chromiumPath);
export const chromiumMissingReason = `${chromiumPath} not found (apt-get install -y chromium)`;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface SiteInBrowser {
  /** The served site's root URL, with its base path. */
  url: string;
  browser: Browser;
  close(): Promise<void>;
}

/** Serves a build on loopback and starts Chromium: the setup every browser test shares. */
export async function openSiteInBrowser(options: StaticServerOptions): Promise<SiteInBrowser> {
  const server = await startStaticServer(options);
  const browser = await launchBrowser();
  return {
    url: server.url,
    browser,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/** Records a page's console errors and uncaught script errors into `errors`, as text. */
export function collectPageErrors(page: Page, errors: string[]): void {
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
}
