/**
 * The HTML report is one self-contained file. That it renders its charts in a real browser (Debian's headless
 * Chromium) with no network request and no error is tested on the demo's report, in test/cli/demo.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/report/build-report.js';
import { reportHtml } from '../../src/report/render-html.js';
import { harnessesClosedAfterEach, oneTurnScript } from '../support/engine.js';
import { phase, report, testWorkflow } from '../support/workflow.js';

const make = harnessesClosedAfterEach();

async function htmlOfARun(task: string): Promise<string> {
  const ids = ['research', 'planning'];
  const workflow = testWorkflow({
    phases: ids.map((id, index) => phase(id, { dependsOn: index === 0 ? [] : [ids[index - 1]!] })),
  });
  const script = oneTurnScript(Object.fromEntries(ids.map((id) => [id, report(id)])));
  script.phases.planning = [{ turns: [{ text: 'no sections' }] }, { turns: [{ text: report('planning') }] }];
  const h = make(workflow, script);
  const outcome = await h.run({ task });
  return reportHtml(await buildReport(h.journal, (await h.journal.getRun(outcome.runId))!));
}

describe('the HTML report', () => {
  it('is self-contained: inline style and SVG, no script, nothing to fetch, the task escaped', async () => {
    const html = await htmlOfARun('Fix <script>alert(1)</script> & friends');
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
    expect(html.replaceAll('http://www.w3.org/2000/svg', '')).not.toMatch(/https?:\/\//);
    expect(html).toContain('Fix &#60;script&#62;alert(1)&#60;/script&#62; &#38; friends');
    expect(html).toContain("default-src 'none'");
  });
});
