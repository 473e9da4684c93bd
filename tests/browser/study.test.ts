/**
 * Study progress and the self-test in Chromium, on both builds, served with the CSP headers the
 * build ships: marking from a question page and from lists, the counts, export, import (good and
 * malformed files), reset, the self-test's steps, focus and grading, and the pages without
 * JavaScript. Axe runs on the root build in both themes with the controls shown.
 */
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { builds, rootBuild } from '../support/builds';
import { axeViolations } from '../support/axe';
import {
  chromiumAvailable,
  chromiumMissingReason,
  openSiteInBrowser,
  type SiteInBrowser,
  collectPageErrors,
} from '../support/browser';
import { readBuiltHeaders } from '../support/csp-headers';
import { requireToolOrSkip, testWhen } from '../support/skip';
import { loadQuestions } from '../support/questions';
import { getTopic } from '../../src/data/topics';
import { addDays, localIsoDate } from '../../src/utils/leitner';
import { studyStorageKey } from '../../src/utils/study-state';

const canRun = requireToolOrSkip(chromiumAvailable, chromiumMissingReason);
const published = loadQuestions().filter((question) => question.data.status === 'published');
const question = published.find((q) => q.data.number === 12)!;
const other = published.find((q) => q.data.number === 13)!;
const topic = getTopic(question.data.topic);
const topicPublished = published.filter((q) => q.data.topic === question.data.topic).length;

/** A date `days` from today as the page shows it ("Thu 3 Dec"), computed apart from the site. */
function shownDate(days: number): string {
  const date = new Date();
  date.setDate(date.getDate() + days);
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][date.getDay()];
  const month = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ')[date.getMonth()];
  return `${weekday} ${date.getDate()} ${month}`;
}

const today = () => localIsoDate(new Date());

async function storedState(page: Page): Promise<unknown> {
  const text = await page.evaluate((key) => localStorage.getItem(key), studyStorageKey);
  return text === null ? null : JSON.parse(text);
}

async function storeState(page: Page, questions: Record<string, object>): Promise<void> {
  await page.evaluate(
    ([key, value]) => localStorage.setItem(key, value),
    [studyStorageKey, JSON.stringify({ version: 1, questions })],
  );
}

const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

describe.skipIf(!canRun).each(builds.map((build) => [build.name, build] as const))(
  'study tools on the %s build',
  (_name, build) => {
    let site: SiteInBrowser;
    let context: BrowserContext;
    let errors: string[] = [];
    const questionUrl = () => `${site.url}questions/${question.slug}/`;
    const topicUrl = () => `${site.url}topics/${topic.id}/`;

    beforeAll(async () => {
      const headers = readBuiltHeaders(build.outDir);
      site = await openSiteInBrowser({ outDir: build.outDir, base: build.base, headers });
    });

    afterAll(async () => {
      await site?.close();
    });

    /** A fresh context (empty local storage) whose pages report console errors. */
    async function freshPage(options: BrowserContextOptions = {}): Promise<Page> {
      context = await site.browser.newContext(options);
      const page = await context.newPage();
      errors = [];
      collectPageErrors(page, errors);
      await page.addInitScript(() =>
        document.addEventListener('securitypolicyviolation', (event) =>
          console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`),
        ),
      );
      return page;
    }

    afterEach(async () => {
      await context?.close();
      expect(errors).toEqual([]);
    });

    test('a question marked and bookmarked on its page counts on the home and topic pages', async () => {
      const page = await freshPage();
      await page.goto(questionUrl());
      const studied = page.locator('[data-study-question] [data-study-toggle="studied"]');
      const bookmark = page.locator('[data-study-question] [data-study-toggle="bookmarked"]');
      await expect(studied.getAttribute('aria-pressed')).resolves.toBe('false');
      await studied.click();
      await bookmark.click();
      await expect(studied.getAttribute('aria-pressed')).resolves.toBe('true');
      expect(await storedState(page)).toEqual({
        version: 1,
        questions: { '12': { studied: true, bookmarked: true } },
      });

      await page.reload();
      await expect(studied.getAttribute('aria-pressed')).resolves.toBe('true');
      await expect(bookmark.getAttribute('aria-pressed')).resolves.toBe('true');

      await page.goto(site.url);
      const overall = page.locator('[data-study-panel] [data-study-progress]');
      await expect(overall.locator('.study-progress__studied').textContent()).resolves.toMatch(
        new RegExp(`^\\s*1 of ${published.length} studied\\s*$`),
      );
      const bookmarkedLink = overall.locator('[data-count-link="bookmarked"]');
      expect(await bookmarkedLink.isVisible()).toBe(true);
      expect((await bookmarkedLink.textContent())?.replace(/\s+/g, ' ').trim()).toBe(
        '1 bookmarked',
      );
      expect(await bookmarkedLink.getAttribute('href')).toBe(
        `${build.base}practice/?from=bookmarked`,
      );
      expect(await overall.locator('[data-count-link="due"]').isVisible()).toBe(false);
      const fill = await overall
        .locator('[data-progress-fill]')
        .evaluate((element) => element.getBoundingClientRect().width);
      expect(fill).toBeGreaterThan(0);

      const card = page.locator('.topic-grid__item', { hasText: topic.title });
      await expect(card.locator('.study-progress__studied').textContent()).resolves.toMatch(
        new RegExp(`1 of ${topicPublished} studied`),
      );
      const listToggle = page.getByRole('button', { name: 'Mark question 12 as studied' });
      await expect(listToggle.getAttribute('aria-pressed')).resolves.toBe('true');

      await page.goto(topicUrl());
      await expect(page.locator('.study-progress__studied').textContent()).resolves.toMatch(
        new RegExp(`1 of ${topicPublished} studied`),
      );
      expect(await page.locator('[data-count-link="bookmarked"]').getAttribute('href')).toBe(
        `${build.base}practice/?from=bookmarked&topic=${topic.id}`,
      );

      // Unmarking on the page takes it out of the counts again.
      await page.goto(questionUrl());
      await studied.click();
      await expect(studied.getAttribute('aria-pressed')).resolves.toBe('false');
      await page.goto(topicUrl());
      await expect(page.locator('.study-progress__studied').textContent()).resolves.toMatch(
        new RegExp(`0 of ${topicPublished} studied`),
      );
    });

    test('marking from a list updates the counts at once and the question page', async () => {
      const page = await freshPage();
      await page.goto(site.url);
      const toggle = page.getByRole('button', { name: 'Mark question 13 as studied' });
      const bookmark = page.getByRole('button', { name: 'Bookmark question 13' });
      expect(await toggle.textContent()).toContain('Studied');
      await toggle.click();
      await bookmark.click();
      await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('true');
      const overall = page.locator('[data-study-panel] .study-progress__studied');
      await expect(overall.textContent()).resolves.toMatch(/^\s*1 of \d+ studied\s*$/);

      await page.reload();
      await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('true');
      await expect(overall.textContent()).resolves.toMatch(/^\s*1 of \d+ studied\s*$/);
      await toggle.click();
      await expect(overall.textContent()).resolves.toMatch(/^\s*0 of \d+ studied\s*$/);
      expect(await storedState(page)).toEqual({
        version: 1,
        questions: { '13': { bookmarked: true } },
      });

      await page.goto(`${site.url}questions/${other.slug}/`);
      const onPage = page.locator('[data-study-question] [data-study-toggle="bookmarked"]');
      await expect(onPage.getAttribute('aria-pressed')).resolves.toBe('true');
    });

    test('a question due for review shows as due and links to a practice session', async () => {
      const page = await freshPage();
      await page.goto(topicUrl());
      const yesterday = addDays(today(), -1);
      await storeState(page, { '12': { box: 2, due: yesterday, lastReviewed: yesterday } });
      await page.reload();
      const due = page.locator('[data-study-progress] [data-count-link="due"]');
      expect(await due.isVisible()).toBe(true);
      expect((await due.textContent())?.replace(/\s+/g, ' ').trim()).toBe(
        `1 due for review in ${topic.title}`,
      );
      expect(await due.getAttribute('href')).toBe(
        `${build.base}practice/?from=due&topic=${topic.id}`,
      );
      expect(await page.locator('[data-study-due="12"]').isVisible()).toBe(true);
      expect(await page.locator('[data-study-due="13"]').isVisible()).toBe(false);
    });

    test('export downloads a file that holds exactly the stored progress', async () => {
      const page = await freshPage({ acceptDownloads: true });
      await page.goto(site.url);
      const questions = {
        '12': {
          studied: true,
          box: 3,
          due: '2026-12-09',
          lastGrade: 'knew',
          lastReviewed: '2026-12-01',
        },
        '13': { bookmarked: true },
      };
      await storeState(page, questions);
      await page.reload();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Export progress' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`genai-interview-progress-${today()}.json`);
      const file = JSON.parse(readFileSync((await download.path())!, 'utf8'));
      expect(file).toMatchObject({ format: 'genai-interview-guide-progress', version: 1 });
      expect(file.questions).toEqual(questions);
      await expect(page.locator('[data-study-status]').textContent()).resolves.toBe(
        `Exported progress for 2 questions: genai-interview-progress-${today()}.json.`,
      );
    });

    test('importing a file merges it with what the browser holds', async () => {
      const page = await freshPage();
      await page.goto(site.url);
      await storeState(page, { '12': { studied: true } });
      await page.reload();
      const file = {
        format: 'genai-interview-guide-progress',
        version: 1,
        questions: { '12': { bookmarked: true }, '13': { studied: true } },
      };
      await page.setInputFiles('#study-import', {
        name: 'progress.json',
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify(file)),
      });
      await expect
        .poll(() => page.locator('[data-study-status]').textContent())
        .toBe('Imported progress for 2 questions from progress.json; 2 questions changed here.');
      expect(await storedState(page)).toEqual({
        version: 1,
        questions: { '12': { studied: true, bookmarked: true }, '13': { studied: true } },
      });
      const toggle = page.getByRole('button', { name: 'Mark question 13 as studied' });
      await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('true');
      await expect(
        page.locator('[data-study-panel] .study-progress__studied').textContent(),
      ).resolves.toMatch(/^\s*2 of \d+ studied\s*$/);
    });

    test('a malformed file is refused with its problem named, and nothing changes', async () => {
      const page = await freshPage();
      await page.goto(site.url);
      await storeState(page, { '12': { studied: true } });
      await page.reload();
      const before = await storedState(page);
      const status = page.locator('[data-study-status]');
      const cases: [string, string][] = [
        [
          JSON.stringify({ version: 1, questions: { '12': { box: 9, due: '2026-12-01' } } }),
          'Nothing imported from bad.json: questions["12"].box must be a whole number from 1 to 5. Your progress is unchanged.',
        ],
        [
          JSON.stringify({ version: 1, questions: { '999': { studied: true } } }),
          'Nothing imported from bad.json: questions["999"]: there is no question 999 on this site. Your progress is unchanged.',
        ],
        [
          '{ not json',
          'Nothing imported from bad.json: The file is not JSON. Choose a file exported from this site. Your progress is unchanged.',
        ],
      ];
      for (const [text, message] of cases) {
        await page.setInputFiles('#study-import', {
          name: 'bad.json',
          mimeType: 'application/json',
          buffer: Buffer.from(text),
        });
        await expect.poll(() => status.textContent()).toBe(message);
        expect(await storedState(page)).toEqual(before);
      }
      await expect(
        page
          .getByRole('button', { name: 'Mark question 12 as studied' })
          .getAttribute('aria-pressed'),
      ).resolves.toBe('true');
    });

    test('reset asks first, and only the confirmation deletes', async () => {
      const page = await freshPage();
      await page.goto(site.url);
      await storeState(page, { '12': { studied: true } });
      await page.reload();
      const reset = page.getByRole('button', { name: 'Reset progress…' });
      await reset.click();
      expect(await reset.getAttribute('aria-expanded')).toBe('true');
      expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe(
        'Keep it',
      );
      await page.keyboard.press('Enter');
      expect(await storedState(page)).not.toBeNull();
      expect(await page.getByRole('group').isVisible()).toBe(false);
      expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe(
        'Reset progress…',
      );
      await reset.click();
      await page.getByRole('button', { name: 'Delete my progress' }).click();
      expect(await storedState(page)).toEqual({ version: 1, questions: {} });
      await expect(page.locator('[data-study-status]').textContent()).resolves.toBe(
        'Progress deleted from this browser.',
      );
      await expect(
        page.locator('[data-study-panel] .study-progress__studied').textContent(),
      ).resolves.toMatch(/^\s*0 of \d+ studied\s*$/);
    });

    test('the self-test hides the answer, reveals it in two steps and schedules the grade', async () => {
      const page = await freshPage();
      await page.goto(questionUrl());
      const visible = (selector: string) => page.locator(selector).first().isVisible();
      const announced = () => page.locator('[data-announcer]').textContent();
      for (const selector of ['#short-answer', '#deep-dive', '#references', '.toc'])
        expect(await visible(selector), selector).toBe(true);

      const testButton = page.locator('[data-study-question] [data-study-toggle="self-test"]');
      await testButton.focus();
      await page.keyboard.press('Enter');
      expect(await testButton.getAttribute('aria-pressed')).toBe('true');
      expect(await focusedId(page)).toBe('self-test-heading');
      expect(await visible('h1')).toBe(true);
      for (const selector of [
        '#short-answer',
        '#deep-dive',
        '#references',
        '.toc',
        '.question-header__tags',
        '#related-questions',
        '[data-grade]',
        '[data-self-test-reveal="full"]',
      ])
        expect(await visible(selector), `${selector} hidden before the reveal`).toBe(false);

      await page.getByRole('button', { name: 'Show the short answer' }).click();
      expect(await focusedId(page)).toBe('short-answer');
      expect(await announced()).toBe('Short answer shown.');
      expect(await visible('#short-answer')).toBe(true);
      expect(await visible('.answer > p')).toBe(true);
      for (const selector of ['#deep-dive', '#references', '.toc', '#related-questions'])
        expect(await visible(selector), `${selector} hidden after the short answer`).toBe(false);
      // The steps sit between the short answer and the rest.
      expect(
        await page.evaluate(
          () =>
            document
              .querySelector('[data-self-test-panel]')
              ?.nextElementSibling?.querySelector('h2')?.id,
        ),
      ).toBe('deep-dive');

      await page.getByRole('button', { name: 'Show the full answer' }).focus();
      await page.keyboard.press('Enter');
      expect(await focusedId(page)).toBe('deep-dive');
      expect(await announced()).toBe('Full answer shown.');
      for (const selector of ['#deep-dive', '#references', '.toc', '.question-header__tags'])
        expect(await visible(selector), `${selector} shown with the full answer`).toBe(true);

      await page.getByRole('button', { name: 'Knew it' }).click();
      const status = page.locator('[data-self-test-status]');
      await expect(status.textContent()).resolves.toBe(
        `Saved: Knew it. Next review: in 2 days (${shownDate(2)}).`,
      );
      expect(await storedState(page)).toEqual({
        version: 1,
        questions: {
          '12': { box: 2, due: addDays(today(), 2), lastGrade: 'knew', lastReviewed: today() },
        },
      });
      // A change of mind replaces the grade instead of counting a second review.
      await page.getByRole('button', { name: 'Shaky' }).click();
      await expect(status.textContent()).resolves.toBe(
        `Saved: Shaky. Next review: tomorrow (${shownDate(1)}).`,
      );
      expect(await storedState(page)).toEqual({
        version: 1,
        questions: {
          '12': { box: 1, due: addDays(today(), 1), lastGrade: 'shaky', lastReviewed: today() },
        },
      });
      expect(await page.getByRole('button', { name: 'Shaky' }).getAttribute('aria-pressed')).toBe(
        'true',
      );

      await page.getByRole('button', { name: 'End the test' }).click();
      expect(await testButton.getAttribute('aria-pressed')).toBe('false');
      expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe(
        'Test yourself',
      );
      expect(await visible('[data-self-test-panel]')).toBe(false);
      for (const selector of ['#short-answer', '#deep-dive', '.toc', '#related-questions'])
        expect(await visible(selector), `${selector} shown after the test`).toBe(true);

      // A graded question comes back one box up the next time.
      await page.reload();
      await testButton.click();
      await page.getByRole('button', { name: 'Show the short answer' }).click();
      await page.getByRole('button', { name: 'Knew it' }).click();
      expect(await storedState(page)).toMatchObject({
        questions: { '12': { box: 2, due: addDays(today(), 2) } },
      });
    });

    test('a link into a hidden section ends the test; arriving by a link shows everything', async () => {
      const page = await freshPage();
      await page.goto(`${questionUrl()}#references`);
      expect(await page.locator('#references').isVisible()).toBe(true);
      expect(await page.evaluate(() => document.documentElement.dataset.selfTest)).toBeUndefined();
      await page.locator('[data-study-toggle="self-test"]').click();
      expect(await page.locator('#references').isVisible()).toBe(false);
      await page.evaluate(() => (location.hash = 'common-mistakes'));
      await expect.poll(() => page.locator('#common-mistakes').isVisible()).toBe(true);
      expect(
        await page.locator('[data-study-toggle="self-test"]').getAttribute('aria-pressed'),
      ).toBe('false');
    });

    test('without JavaScript the controls are hidden and the pages read as before', async () => {
      const page = await freshPage({ javaScriptEnabled: false });
      await page.goto(questionUrl());
      expect(await page.locator('[data-study-toggle]').first().isVisible()).toBe(false);
      expect(
        await page.locator('[data-study-question]').evaluate((e) => getComputedStyle(e).display),
      ).toBe('none');
      for (const selector of ['#short-answer', '#deep-dive', '#references', '.toc'])
        expect(await page.locator(selector).isVisible(), selector).toBe(true);
      // The wrappers of the counts take no space either.
      const wrappers: [string, string][] = [
        ['', '.topic-grid__progress'],
        [`topics/${topic.id}/`, 'main > .progress'],
      ];
      for (const [path, wrapper] of wrappers) {
        await page.goto(`${site.url}${path}`);
        const displays = await page
          .locator(wrapper)
          .evaluateAll((elements) => elements.map((element) => getComputedStyle(element).display));
        expect(displays.length, wrapper).toBeGreaterThan(0);
        expect(new Set(displays), wrapper).toEqual(new Set(['none']));
        for (const selector of [
          '[data-study-toggle]',
          '[data-study-progress]',
          '[data-study-panel]',
        ])
          expect(await page.locator(selector).first().isVisible(), `${path} ${selector}`).toBe(
            false,
          );
        expect(await page.locator('.question-list__title').first().isVisible()).toBe(true);
      }
    });

    testWhen(build === rootBuild).each(['light', 'dark'] as const)(
      'no accessibility violations with the controls shown, in the %s theme',
      async (colorScheme) => {
        const page = await freshPage({ colorScheme });
        await page.goto(site.url);
        const yesterday = addDays(today(), -1);
        await storeState(page, {
          '12': { studied: true, bookmarked: true, box: 1, due: yesterday },
        });
        await page.reload();
        await page.getByRole('button', { name: 'Reset progress…' }).click();
        const violations = [`home: ${await axeViolations(page)}`];
        await page.goto(topicUrl());
        violations.push(`topic: ${await axeViolations(page)}`);
        await page.goto(questionUrl());
        await page.locator('[data-study-toggle="self-test"]').click();
        violations.push(`question step: ${await axeViolations(page)}`);
        await page.getByRole('button', { name: 'Show the short answer' }).click();
        await page.getByRole('button', { name: 'Missed it' }).click();
        violations.push(`short answer step: ${await axeViolations(page)}`);
        await page.getByRole('button', { name: 'Show the full answer' }).click();
        violations.push(`full answer step: ${await axeViolations(page)}`);
        expect(violations).toEqual([
          'home: ',
          'topic: ',
          'question step: ',
          'short answer step: ',
          'full answer step: ',
        ]);
      },
    );
  },
);
