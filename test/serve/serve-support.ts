/**
 * What the dashboard tests share: the built CLI's `serve` started on a free port (its printed address read
 * back), a workspace whose run halted for review, and Debian's headless Chromium driven by puppeteer-core.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { expect } from 'vitest';
import { cli, type RunningCli, startCli } from '../support/cli.js';
import { makeCrashWorkspace } from '../support/crash-workspace.js';

export const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
/** Browser tests are skipped only outside CI, on a machine without Chromium. */
export const noBrowser = chromium === undefined && process.env.CI === undefined;
export const artifacts = join(import.meta.dirname, '..', '..', 'test-artifacts');

export interface Serving {
  /** The address printed, with `?token=` when there is one. */
  printed: string;
  /** `http://127.0.0.1:PORT` */
  origin: string;
  running: RunningCli;
  stop(): Promise<void>;
}

export async function startServe(
  args: string[],
  cwd: string,
  env?: Record<string, string>,
): Promise<Serving> {
  const running = startCli(['serve', '--port', '0', ...args], { cwd, ...(env === undefined ? {} : { env }) });
  const printed = await new Promise<string>((resolve, reject) => {
    running.onLine((line) => {
      const found = /^phasewise serve: (http:\/\/\S+)$/.exec(line);
      if (found !== null) resolve(found[1]!);
    });
    void running.done.then((result) => reject(new Error(`serve exited ${result.code}: ${result.stderr}`)));
  });
  const port = new URL(printed).port;
  return {
    printed,
    origin: `http://127.0.0.1:${port}`,
    running,
    stop: async () => {
      running.child.kill('SIGINT');
      const result = await running.done;
      expect(result.code, result.stderr).toBe(0);
    },
  };
}

/** A five-phase run on the scripted provider whose planning halts for a person after its failed first attempt. */
export function haltedRun(): { workspace: string; runId: string } {
  const workspace = makeCrashWorkspace(0);
  const config = join(workspace, 'phasewise.yaml');
  writeFileSync(
    config,
    readFileSync(config, 'utf8').replace(
      'dependencies: research }',
      'dependencies: research, escalation: [halt] }',
    ),
  );
  const halted = cli(['run'], { cwd: workspace });
  expect(halted.code, halted.stderr).toBe(3);
  return { workspace, runId: /run (\S+) halted/.exec(halted.stderr)![1]! };
}

export async function launchBrowser(profile: string): Promise<Browser> {
  mkdirSync(profile, { recursive: true });
  return puppeteer.launch({
    executablePath: chromium!,
    headless: true,
    userDataDir: profile,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
}
