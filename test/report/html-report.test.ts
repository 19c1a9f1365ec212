/**
 * The HTML report is one self-contained file: it renders its charts in a real browser (Debian's headless
 * Chromium) with no network request and no error, and the screenshot is kept as a test artifact.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/report/build-report.js';
import { reportHtml } from '../../src/report/render-html.js';
import { harnessesClosedAfterEach, oneTurnScript } from '../support/engine.js';
import { phase, report, testWorkflow } from '../support/workflow.js';

const make = harnessesClosedAfterEach();
const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
const artifacts = join(import.meta.dirname, '..', '..', 'test-artifacts');

async function htmlOfARun(task: string): Promise<string> {
  const ids = ['research', 'planning'];
  const workflow = testWorkflow({
    phases: ids.map((id, index) => phase(id, { dependsOn: index === 0 ? [] : [ids[index - 1]!] })),
  });
  const script = oneTurnScript(Object.fromEntries(ids.map((id) => [id, report(id)])));
  script.phases.planning = [{ turns: [{ text: 'no sections' }] }, { turns: [{ text: report('planning') }] }];
  const h = make(workflow, script);
  const outcome = await h.run({ task });
  return reportHtml(buildReport(h.journal, h.journal.getRun(outcome.runId)!));
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

  it.skipIf(chromium === undefined && process.env.CI === undefined)(
    'renders its charts in headless Chromium without errors or network requests',
    async () => {
      expect(chromium, 'Debian chromium is needed (.ci/run installs it)').toBeDefined();
      const html = await htmlOfARun('Add a health endpoint');
      const dir = mkdtempSync(join(tmpdir(), 'phasewise-html-'));
      const file = join(dir, 'report.html');
      writeFileSync(file, html);
      mkdirSync(artifacts, { recursive: true });
      const screenshot = join(artifacts, 'report.png');
      const flags = [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${join(dir, 'profile')}`,
        '--enable-logging=stderr',
        '--v=0',
      ];
      const dom = execFileSync(chromium!, [...flags, '--dump-dom', `file://${file}`], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 60_000,
      });
      expect(dom.match(/<svg /g)).toHaveLength(3);
      expect(dom.match(/<rect /g)?.length ?? 0).toBeGreaterThan(6);
      const run = spawnSync(
        chromium!,
        [...flags, `--screenshot=${screenshot}`, '--window-size=1100,1400', `file://${file}`],
        { encoding: 'utf8', timeout: 60_000 },
      );
      expect(run.status, run.stderr).toBe(0);
      // The page's own Content-Security-Policy refuses any fetch; a blocked request or a script error is logged.
      expect(run.stderr).not.toMatch(/Refused to (load|connect)|Uncaught|net::ERR_/);
      expect(statSync(screenshot).size).toBeGreaterThan(10_000);
    },
    90_000,
  );
});
