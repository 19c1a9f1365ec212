/**
 * `phasewise serve` in a real browser (Debian's headless Chromium, puppeteer-core): a demo run against the fake
 * LLM server appears in the list and its page follows it live to the end; a halted run is approved, or rejected
 * with feedback, by clicking, and goes on to success with the answer recorded as the CLI records it.
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJournal } from '../../src/journal/index.js';
import { cli, startCli } from '../support/cli.js';
import { artifacts, haltedRun, launchBrowser, noBrowser, startServe } from './serve-support.js';

let browser: Browser;
const folder = mkdtempSync(join(tmpdir(), 'phasewise-serve-browser-'));

beforeAll(async () => {
  if (!noBrowser) browser = await launchBrowser(join(folder, 'chromium-profile'));
});

afterAll(async () => {
  await browser?.close();
});

const text = (page: Page, selector: string) =>
  page.$eval(selector, (element) => (element.textContent ?? '').trim());

async function waitForStatus(page: Page, status: string, timeout = 60_000): Promise<void> {
  // Expressions run in the page (the tests are type-checked without the DOM's types).
  await page.waitForFunction(
    `document.getElementById('run-status')?.textContent === ${JSON.stringify(status)}`,
    {
      timeout,
    },
  );
}

describe.skipIf(noBrowser)('the dashboard in headless Chromium', () => {
  it('shows a demo run against the fake LLM server in the list, and its page follows it live to success', async () => {
    const dir = join(folder, 'demo');
    const demo = startCli(['demo', '--dir', dir, '--latency', '150'], {
      cwd: tmpdir(),
      env: { ANTHROPIC_API_KEY: '', OPENAI_API_KEY: '' },
    });
    const serving = await startServe(['--workspace', dir], tmpdir());
    try {
      const page = await browser.newPage();
      const failures: string[] = [];
      page.on('requestfailed', (request) => failures.push(request.url()));
      page.on('console', (message) => {
        if (message.type() === 'error') failures.push(message.text());
      });
      // The list, read again until the demo's run is in the journal.
      const deadline = Date.now() + 30_000;
      let row = null;
      while (row === null && Date.now() < deadline) {
        await page.goto(serving.printed);
        row = await page.$('#runs tr[data-run-id] a');
        if (row === null) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(row, 'the demo run is listed').not.toBeNull();
      await Promise.all([page.waitForNavigation(), row!.click()]);
      const first = await page.$eval('main', (main) => main.getAttribute('data-status'));
      expect(first).toBe('running');
      const shownAtFirst = await page.$$eval('#log li', (items) => items.length);
      // Marks the document: had the page been reloaded the mark would be gone.
      await page.evaluate(`document.body.setAttribute('data-loaded-once', 'yes')`);
      await page.waitForFunction(`document.getElementById('live')?.textContent === 'live'`);
      await waitForStatus(page, 'succeeded', 90_000);
      expect(await page.$eval('body', (body) => body.getAttribute('data-loaded-once'))).toBe('yes');
      expect(await page.$$eval('#log li', (items) => items.length)).toBeGreaterThan(shownAtFirst + 10);
      expect(
        await page.$$eval('#phases tr[data-phase]', (rows) => rows.map((r) => r.getAttribute('data-status'))),
      ).toEqual(['passed', 'passed', 'passed', 'passed', 'passed']);
      expect(await text(page, '#phases tr[data-phase="planning"]')).toMatch(/\d\.\d\d \/ 0\.\d\d/);
      expect(await text(page, '#log li:last-child')).toMatch(/succeeded/);
      expect(failures).toEqual([]);
      mkdirSync(artifacts, { recursive: true });
      const shot = join(artifacts, 'serve-dashboard-run.png');
      await page.setViewport({ width: 1280, height: 1000 });
      await page.screenshot({ path: shot, fullPage: true });
      process.stdout.write(`dashboard screenshot: ${shot}\n`);
      expect(existsSync(shot)).toBe(true);

      const report = await page.goto(`${page.url()}/report`);
      expect(report?.status()).toBe(200);
      expect(await page.title()).toMatch(/^phasewise run /);
      await page.close();
    } finally {
      await serving.stop();
      const ended = await demo.done;
      expect(ended.code, ended.stderr).toBe(0);
    }
  }, 150_000);

  it('approves a halted run by clicking, and the run goes on to success', async () => {
    const { workspace, runId } = haltedRun();
    const serving = await startServe(['--workspace', workspace], tmpdir());
    try {
      const page = await browser.newPage();
      await page.goto(`${serving.printed}runs/${runId}`);
      expect(await text(page, '#run-status')).toBe('halted');
      await Promise.all([page.waitForNavigation(), page.click('#approve-planning')]);
      await waitForStatus(page, 'succeeded');
      expect(await text(page, '#review')).toBe('');
      await page.close();
    } finally {
      await serving.stop();
    }
    const journal = openJournal({ workspace, mustExist: true, readOnly: true });
    try {
      const reviews = (await journal.listSteps(runId)).filter((step) => step.kind === 'review');
      expect(reviews.map((step) => step.result)).toMatchObject([{ action: 'approve' }]);
    } finally {
      await journal.close();
    }
    const status = cli(['status', runId, '--json', '--workspace', workspace], { cwd: workspace });
    expect(JSON.parse(status.stdout)).toMatchObject({ status: 'succeeded' });
  }, 90_000);

  it('rejects a halted run with feedback typed in the page; the next attempt gets it and the run succeeds', async () => {
    const { workspace, runId } = haltedRun();
    const serving = await startServe(['--workspace', workspace], tmpdir());
    try {
      const page = await browser.newPage();
      await page.goto(`${serving.printed}runs/${runId}`);
      await page.type('#feedback-planning', 'Name the risks of the migration.');
      await Promise.all([page.waitForNavigation(), page.click('#reject-planning')]);
      await waitForStatus(page, 'succeeded');
      expect(await text(page, '#phases tr[data-phase="planning"]')).toMatch(/passed/);
      await page.close();
    } finally {
      await serving.stop();
    }
    const journal = openJournal({ workspace, mustExist: true, readOnly: true });
    try {
      const reviews = (await journal.listSteps(runId)).filter((step) => step.kind === 'review');
      expect(reviews.map((step) => step.result)).toMatchObject([
        { action: 'reject', feedback: 'Name the risks of the migration.' },
      ]);
    } finally {
      await journal.close();
    }
  }, 90_000);

  it('aborts a halted run by clicking: the run ends as aborted', async () => {
    const { workspace, runId } = haltedRun();
    const serving = await startServe(['--workspace', workspace], tmpdir());
    try {
      const page = await browser.newPage();
      await page.goto(`${serving.printed}runs/${runId}`);
      await Promise.all([page.waitForNavigation(), page.click('#abort-planning')]);
      await waitForStatus(page, 'aborted');
      await page.close();
    } finally {
      await serving.stop();
    }
  }, 90_000);
});
