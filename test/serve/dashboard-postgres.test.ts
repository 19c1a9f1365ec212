/**
 * `phasewise serve` over the shared Postgres journal: a run halted there is listed, its page and event feed
 * read from Postgres, and an approval posted from the page's origin is recorded there and resumes the run (the
 * child `resume` given the same `--database-url`) to success.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresServer, startPostgres } from '../journal/support/postgres-server.js';
import { cli } from '../support/cli.js';
import { makeCrashWorkspace } from '../support/crash-workspace.js';
import { startServe } from './serve-support.js';

let server: PostgresServer;

beforeAll(() => {
  server = startPostgres();
});

afterAll(async () => {
  await server?.stop();
});

async function readUntil(response: Response, marker: string): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes(marker)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel();
  return text;
}

describe('the dashboard on the shared Postgres journal', () => {
  it('lists a halted run, follows it, and an approval resumes it to success in Postgres', async () => {
    const name = `pw_serve_${process.pid}`;
    await server.sql(`CREATE DATABASE ${name}`);
    const url = new URL(server.url);
    url.pathname = `/${name}`;
    const databaseUrl = url.toString();
    const workspace = makeCrashWorkspace(0);
    mkdirSync(join(workspace, '.phasewise'));
    const config = join(workspace, 'phasewise.yaml');
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace(
        'dependencies: research }',
        'dependencies: research, escalation: [halt] }',
      ),
    );
    expect(cli(['db', 'migrate', '--database-url', databaseUrl], { cwd: workspace }).code).toBe(0);
    const halted = cli(['run', '--database-url', databaseUrl], { cwd: workspace });
    expect(halted.code, halted.stderr).toBe(3);
    const runId = /run (\S+) halted/.exec(halted.stderr)![1]!;

    const serving = await startServe(['--database-url', databaseUrl], workspace);
    try {
      const list = await (await fetch(`${serving.origin}/`)).text();
      expect(list).toContain(`data-run-id="${runId}"`);
      expect(list).toContain('data-status="halted"');
      expect(list).not.toContain(new URL(databaseUrl).password || 'no password');

      const feed = await fetch(`${serving.origin}/runs/${runId}/events?after=0`);
      expect(feed.headers.get('content-type')).toContain('text/event-stream');
      const streamed = await readUntil(feed, 'event: state');
      expect(streamed).toContain(`run ${runId} started`);
      expect(streamed).toMatch(/"status":"halted"/);

      const page = await (await fetch(`${serving.origin}/runs/${runId}`)).text();
      const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1]!;
      const answer = await fetch(`${serving.origin}/runs/${runId}/review`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: serving.origin },
        body: `action=approve&phase=planning&csrf=${encodeURIComponent(csrf)}`,
      });
      expect(answer.status).toBe(303);
      let status = 'halted';
      const deadline = Date.now() + 60_000;
      while (status !== 'succeeded' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 300));
        const shown = cli(['status', runId, '--json', '--database-url', databaseUrl], { cwd: workspace });
        status = JSON.parse(shown.stdout).status;
      }
      expect(status).toBe('succeeded');
    } finally {
      await serving.stop();
    }
  }, 120_000);
});
