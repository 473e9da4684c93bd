import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import { HtmlValidate } from 'html-validate';
import config from '../../.htmlvalidate.mjs';
import { builds, hostileBuild } from '../support/builds';
import { listHtmlFiles } from '../support/html';

const validator = new HtmlValidate(config);

describe.each([...builds, hostileBuild].map((build) => [build.name, build] as const))(
  'html-validate, %s build',
  (_name, build) => {
    test('every page is valid HTML', async () => {
      const problems: string[] = [];
      for (const file of listHtmlFiles(build.outDir)) {
        const report = await validator.validateFile(file);
        // validateFile works synchronously; without a turn of the event loop per page the whole
        // site is one block of about a minute, and Vitest's worker calls time out behind it.
        await nextTurn();
        for (const result of report.results) {
          for (const message of result.messages) {
            problems.push(
              `${file}:${message.line}:${message.column} ${message.ruleId} ${message.message}`,
            );
          }
        }
      }
      expect(problems).toEqual([]);
      // The all-answers page alone takes about 17 s; give a loaded machine room.
    }, 300_000);
  },
);
