import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
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
import { addDays, schedule, type Grade } from '../../src/utils/leitner';
import { shortDate } from '../../src/utils/review-date';
import { studyStorageKey, type StudyState } from '../../src/utils/study-state';

const canRun = requireToolOrSkip(chromiumAvailable, chromiumMissingReason);
const published = loadQuestions()
  .filter((question) => question.data.status === 'published')
  .sort((a, b) => a.data.number - b.data.number);
const titleOf = (number: number) => published.find((q) => q.data.number === number)!.data.question;
const topicId = 'embeddings-and-retrieval';
const topicNumbers = published.filter((q) => q.data.topic === topicId).map((q) => q.data.number);

/** A new browser context whose page errors and console errors are collected. */
async function freshPage(site: SiteInBrowser, options: { colorScheme?: 'light' | 'dark' } = {}) {
  const context = await site.browser.newContext({
    permissions: ['clipboard-read', 'clipboard-write'],
    ...options,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  collectPageErrors(page, errors);
  return { context, page, errors };
}

const sessionOf = (page: Page) => new URL(page.url()).searchParams.get('session');
const storedState = (page: Page) =>
  page.evaluate(
    (key) => JSON.parse(localStorage.getItem(key) ?? '{"questions":{}}') as StudyState,
    studyStorageKey,
  );
/** The browser's local date, which the page schedules by. */
const browserToday = (page: Page) =>
  page.evaluate(() => {
    const now = new Date();
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  });
const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent ?? '');

describe.skipIf(!canRun).each(builds.map((build) => [build.name, build] as const))(
  'practice page, %s build',
  (_name, build) => {
    let site: SiteInBrowser;
    let practiceUrl: string;

    beforeAll(async () => {
      site = await openSiteInBrowser({
        outDir: build.outDir,
        base: build.base,
        headers: readBuiltHeaders(build.outDir),
      });
      practiceUrl = `${site.url}practice/`;
    });

    afterAll(async () => {
      await site?.close();
    });

    test('a session by topic: reveal, grade, reschedule, summary', async () => {
      const { context, page, errors } = await freshPage(site);
      await page.goto(practiceUrl);
      await page.selectOption('#practice-topic', topicId);
      await page.selectOption('#practice-count', 'all');
      await page.getByRole('button', { name: 'Start practising' }).click();
      await page.waitForURL(/\?session=/);
      const numbers = sessionOf(page)!.split('.').map(Number);
      expect([...numbers].sort((a, b) => a - b)).toEqual(topicNumbers);
      expect(new URL(page.url()).pathname).toBe(`${build.base}practice/`);
      expect(await page.locator('[data-practice-form]').isHidden()).toBe(true);

      const today = await browserToday(page);
      const given: Grade[] = ['knew', 'shaky', 'missed', 'missed'];
      for (const [i, number] of numbers.entries()) {
        await expect
          .poll(() => page.locator('[data-practice-position]').textContent())
          .toBe(`Question ${i + 1} of ${numbers.length}`);
        expect(await page.locator('#practice-question').textContent()).toBe(titleOf(number));
        expect(await page.locator('[data-practice-meta]').textContent()).toContain(
          `Question ${number} · Embeddings and retrieval`,
        );
        if (i > 0)
          expect(await page.evaluate(() => document.activeElement?.id)).toBe('practice-question');
        expect(await page.locator('[data-practice-grades]').isHidden()).toBe(true);

        // Space (focus on the heading, not a control) reveals the short answer, then the rest.
        if (i % 2 === 0) await page.keyboard.press('Space');
        else await page.getByRole('button', { name: /Show the short answer/ }).click();
        const short = page.locator('[data-practice-short]');
        await short.locator('#short-answer').waitFor();
        expect(await focusedText(page)).toBe('Short answer');
        expect((await short.locator('p').first().textContent())?.length).toBeGreaterThan(200);
        expect(await short.locator('#deep-dive').count()).toBe(0);
        if (i % 2 === 0) await page.keyboard.press('Space');
        else await page.getByRole('button', { name: /Show the full answer/ }).click();
        const full = page.locator('[data-practice-full]');
        await full.locator('.heading-wrapper--h2').first().waitFor();
        expect(await full.locator('#short-answer').count()).toBe(0);
        expect(await full.locator('#follow-up-questions').count()).toBe(1);
        // In-page links now lead to the question's own page.
        const anchor = await full.locator('.heading-anchor').first().getAttribute('href');
        expect(anchor).toMatch(new RegExp(`^${build.base}questions/[a-z0-9-]+/#`));

        const grade = given[i];
        if (i < 3) await page.keyboard.press(String(i + 1));
        else await page.getByRole('button', { name: 'Missed it' }).click();
        const planned = schedule(undefined, grade, today);
        const stored = (await storedState(page)).questions[String(number)];
        expect(stored).toMatchObject({ ...planned, lastGrade: grade, lastReviewed: today });
        expect(await page.locator('[data-practice-last]').textContent()).toContain(
          `Question ${number}: `,
        );
        expect(await page.locator('[data-practice-last]').textContent()).toContain(
          `box ${planned.box}, back `,
        );
      }

      const summary = page.locator('[data-practice-summary]');
      await summary.waitFor();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('practice-summary-title');
      expect(await page.locator('[data-practice-count="knew"]').textContent()).toBe('1');
      expect(await page.locator('[data-practice-count="shaky"]').textContent()).toBe('1');
      expect(await page.locator('[data-practice-count="missed"]').textContent()).toBe('2');
      const items = await summary.locator('[data-practice-results] li').allTextContents();
      expect(items.map((item) => /Question (\d+) ·/.exec(item)?.[1])).toEqual(numbers.map(String));
      expect(items[0]).toContain(
        `Knew it: box 2, back in 2 days (${shortDate(addDays(today, 2))})`,
      );
      expect(items[1]).toContain(`Shaky: box 1, back tomorrow (${shortDate(addDays(today, 1))})`);
      const again = page.getByRole('link', { name: 'Practise the missed ones again' });
      expect(new URL((await again.getAttribute('href'))!).search).toBe(
        `?session=${numbers.slice(2).join('.')}`,
      );

      // A question asked again shows where it stands before it is graded.
      await again.click();
      await page.waitForURL(/\?session=/);
      expect(sessionOf(page)).toBe(numbers.slice(2).join('.'));
      expect(await page.locator('[data-practice-meta]').textContent()).toContain(
        `Box 1, next due tomorrow (${shortDate(addDays(today, 1))})`,
      );
      expect(errors).toEqual([]);
      await context.close();
    });

    test('a "due" session after time passes takes the most overdue first', async () => {
      const { context, page, errors } = await freshPage(site);
      await page.goto(practiceUrl);
      const today = await browserToday(page);
      const [a, b, c, d] = published.map((question) => question.data.number).slice(3, 7);
      // Graded earlier: b most overdue, then d, then a due today; c not due for a while.
      await page.evaluate(({ key, state }) => localStorage.setItem(key, JSON.stringify(state)), {
        key: studyStorageKey,
        state: {
          version: 1,
          questions: {
            [a]: { box: 2, due: today, lastGrade: 'knew', lastReviewed: addDays(today, -2) },
            [b]: { box: 1, due: addDays(today, -9), lastGrade: 'missed' },
            [c]: { box: 3, due: addDays(today, 3) },
            [d]: { box: 4, due: addDays(today, -1) },
          },
        },
      });
      await page.goto(`${practiceUrl}?from=due`);
      await page.waitForURL(/\?session=/);
      expect(sessionOf(page)).toBe(`${b}.${d}.${a}`);
      expect(await page.locator('[data-practice-meta]').textContent()).toContain(
        `Box 1, due 9 days ago (${shortDate(addDays(today, -9))})`,
      );
      // Knowing an overdue question moves it up from its box, dated from today.
      await page.keyboard.press('Space');
      await page.locator('[data-practice-short] #short-answer').waitFor();
      await page.keyboard.press('1');
      expect((await storedState(page)).questions[String(b)]).toMatchObject({
        box: 2,
        due: addDays(today, 2),
      });
      // Nothing due in one topic: the page says why and offers other choices.
      const graded = published.filter((q) => [a, b, c, d].includes(q.data.number));
      const idle = published.find((q) => !graded.some((g) => g.data.topic === q.data.topic))!.data
        .topic;
      await page.goto(`${practiceUrl}?from=due&topic=${idle}`);
      const message = page.locator('[data-practice-message]');
      await message.waitFor();
      expect(await message.textContent()).toContain('Nothing is due here');
      const suggestions = message.getByRole('link');
      expect(await suggestions.allTextContents()).toEqual([
        'Draw from all questions instead',
        'Draw from every topic and difficulty',
      ]);
      await suggestions.first().click();
      await page.waitForURL(/\?session=/);
      expect(await page.locator('[data-practice-position]').textContent()).toMatch(
        /^Question 1 of \d/,
      );
      expect(errors).toEqual([]);
      await context.close();
    });

    test('a shared session URL gives the same questions in the same order elsewhere', async () => {
      const first = await freshPage(site);
      await first.page.goto(`${practiceUrl}?from=all&count=5`);
      await first.page.waitForURL(/\?session=/);
      const shared = first.page.url();
      await first.page.getByRole('button', { name: 'Copy link to this session' }).click();
      expect(await first.page.evaluate(() => navigator.clipboard.readText())).toBe(shared);
      await first.context.close();

      const numbers = new URL(shared).searchParams.get('session')!.split('.').map(Number);
      expect(numbers).toHaveLength(5);
      const second = await freshPage(site);
      await second.page.goto(shared);
      for (const [i, number] of numbers.entries()) {
        expect(await second.page.locator('[data-practice-position]').textContent()).toBe(
          `Question ${i + 1} of 5`,
        );
        expect(await second.page.locator('#practice-question').textContent()).toBe(titleOf(number));
        await second.page.keyboard.press('Space');
        await second.page.keyboard.press('2');
      }
      await second.page.locator('[data-practice-summary]').waitFor();
      expect(second.page.url()).toBe(shared);
      expect(second.errors).toEqual([]);
      await second.context.close();
    });

    test('a reload mid-session resumes where the reader was, without grading again', async () => {
      const { context, page, errors } = await freshPage(site);
      const numbers = topicNumbers.slice(0, 3);
      const url = `${practiceUrl}?session=${numbers.join('.')}`;
      const position = page.locator('[data-practice-position]');
      await page.goto(url);
      await page.keyboard.press('Space');
      await page.keyboard.press('1');
      await expect.poll(() => position.textContent()).toBe('Question 2 of 3');
      const afterFirst = (await storedState(page)).questions[String(numbers[0])];
      expect(afterFirst.box).toBe(2);

      await page.reload();
      await expect.poll(() => position.textContent()).toBe('Question 2 of 3');
      expect(await page.locator('#practice-question').textContent()).toBe(titleOf(numbers[1]));
      expect(await page.locator('[data-practice-last]').textContent()).toBe(
        'Resumed: 1 of 3 already graded in this tab.',
      );
      expect((await storedState(page)).questions[String(numbers[0])]).toEqual(afterFirst);
      for (const key of ['3', '2']) {
        await page.keyboard.press('Space');
        await page.keyboard.press(key);
      }
      await page.locator('[data-practice-summary]').waitFor();
      const items = await page.locator('[data-practice-results] li').allTextContents();
      expect(items.map((item) => /Question (\d+) ·/.exec(item)?.[1])).toEqual(numbers.map(String));
      expect(await page.locator('[data-practice-count="knew"]').textContent()).toBe('1');

      // A finished session starts again from its first question.
      await page.reload();
      await expect.poll(() => position.textContent()).toBe('Question 1 of 3');
      expect(await page.locator('[data-practice-last]').isHidden()).toBe(true);
      expect(errors).toEqual([]);
      await context.close();
    });

    test('malformed and hostile URLs get a message, never a broken page', async () => {
      const { context, page, errors } = await freshPage(site);
      const cases: [string, string][] = [
        ['?session=', 'The session link holds no question numbers.'],
        ['?session=1.999', 'The session link names question 999, which is not published.'],
        ['?session=1.2.1', 'The session link lists question 1 twice.'],
        ['?session=1.two', '"two" in the session link is not a question number.'],
        [`?session=${'1.'.repeat(100)}1`, 'The session link is too long'],
        [
          `?session=${encodeURIComponent('<img src=x onerror=alert(1)>')}`,
          '"<img src=x onerror=alert(1)>" in the session link is not a question number.',
        ],
        [
          `?from=${encodeURIComponent('<script>alert(1)</script>')}&count=lots`,
          '"from" is "<script>alert(1)</script>"; choose all, due, bookmarked, unstudied.',
        ],
        [`?topic=${encodeURIComponent('"><b>bold</b>')}`, 'There is no topic "\\"><b>bold</b>".'],
      ];
      for (const [search, expected] of cases) {
        await page.goto(`${practiceUrl}${search}`);
        const message = page.locator('[data-practice-message]');
        await message.waitFor();
        expect(await message.textContent()).toContain(expected);
        expect(await message.locator('img, script, b').count()).toBe(0);
        expect(await page.locator('[data-practice-form]').isVisible()).toBe(true);
        expect(await page.locator('[data-practice-session]').isHidden()).toBe(true);
      }
      expect(await page.locator('[data-practice-message]').textContent()).not.toContain('count');
      await page.goto(`${practiceUrl}?from=bookmarked&count=lots&difficulty=advanced`);
      expect(await page.locator('[data-practice-message]').textContent()).toContain(
        '"count" is "lots"; give a number from 1 to 500, or all.',
      );
      // The good choices are kept in the form for the next try.
      expect(await page.locator('#practice-from').inputValue()).toBe('bookmarked');
      expect(await page.locator('#practice-difficulty').inputValue()).toBe('advanced');
      expect(errors).toEqual([]);
      await context.close();
    });

    test('an answer that cannot be loaded says so and links to its page', async () => {
      const { context, page } = await freshPage(site);
      const [number] = topicNumbers;
      const slug = published.find((q) => q.data.number === number)!.slug;
      await page.route(`**/questions/${slug}/`, (route) => route.abort());
      await page.goto(`${practiceUrl}?session=${number}`);
      await page.getByRole('button', { name: /Show the short answer/ }).click();
      const short = page.locator('[data-practice-short]');
      await expect.poll(() => short.textContent()).toContain('The answer could not be loaded');
      expect(await short.getByRole('link').getAttribute('href')).toBe(
        `${build.base}questions/${slug}/`,
      );
      await page.keyboard.press('3');
      await page.locator('[data-practice-summary]').waitFor();
      await context.close();
    });

    testWhen(build === rootBuild).each(['light', 'dark'] as const)(
      'axe finds nothing mid-session in the %s theme',
      async (colorScheme) => {
        const { context, page, errors } = await freshPage(site, { colorScheme });
        const withCode = published.find((q) => /<CodeSample/.test(q.body))!.data.number;
        await page.goto(`${practiceUrl}?session=${withCode}.${topicNumbers[0]}`);
        expect(await axeViolations(page)).toEqual([]);
        await page.keyboard.press('Space');
        await page.locator('[data-practice-short] #short-answer').waitFor();
        await page.keyboard.press('Space');
        await page.locator('[data-practice-full] figure[data-sample]').first().waitFor();
        expect(await axeViolations(page)).toEqual([]);
        await page.keyboard.press('1');
        await page.keyboard.press('Space');
        await page.keyboard.press('3');
        await page.locator('[data-practice-summary]').waitFor();
        expect(await axeViolations(page)).toEqual([]);
        expect(errors).toEqual([]);
        await context.close();
      },
    );

    testWhen(build === rootBuild)(
      'without JavaScript the page explains and lists questions',
      async () => {
        const context = await site.browser.newContext({ javaScriptEnabled: false });
        const page = await context.newPage();
        await page.goto(`${practiceUrl}?session=1.2`);
        expect(await page.locator('main').textContent()).toContain(
          'Practice sessions need JavaScript',
        );
        expect(await page.locator('[data-practice]').isHidden()).toBe(true);
        const links = page.locator('.practice-noscript li a');
        expect(await links.count()).toBe(published.length);
        expect(await links.first().getAttribute('href')).toBe(`/questions/${published[0].slug}/`);
        await context.close();
      },
    );
  },
);
