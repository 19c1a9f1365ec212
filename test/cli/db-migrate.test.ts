/**
 * `phasewise db migrate` as users run it (the built CLI, a real Postgres from scripts/postgres.sh): it creates the
 * journal's tables once, a second run changes nothing, two processes migrating one database at once both
 * succeed with the tables created once, and a database it cannot reach is a clear error naming host and port,
 * exit 2, that never shows the password.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_SCHEMA_VERSION } from '../../src/journal/index.js';
import { type PostgresServer, startPostgres } from '../journal/support/postgres-server.js';
import { binPath, type CliResult, cli } from '../support/cli.js';
import { closedPort } from '../support/closed-port.js';

let server: PostgresServer;
let databases = 0;
const cwd = mkdtempSync(join(tmpdir(), 'phasewise-db-'));

beforeAll(() => {
  server = startPostgres();
});

afterAll(async () => {
  await server?.stop();
});

/** A new, empty database on the server, and its URL (with the password). */
async function freshDatabase(): Promise<string> {
  const name = `pw_cli_${process.pid}_${++databases}`;
  await server.sql(`CREATE DATABASE ${name}`);
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  return url.toString();
}

function migrateLater(url: string): Promise<CliResult> {
  const child = spawn(process.execPath, [binPath, 'db', 'migrate'], {
    cwd,
    env: { ...process.env, PHASEWISE_DATABASE_URL: url, NO_COLOR: '1', PHASEWISE_INVOKED_AS: 'phasewise' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
}

async function appliedVersions(url: string): Promise<number[]> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query('SELECT version FROM phasewise.schema_version ORDER BY version');
    return result.rows.map((row: { version: number }) => row.version);
  } finally {
    await client.end();
  }
}

const allVersions = Array.from({ length: POSTGRES_SCHEMA_VERSION }, (_, index) => index + 1);

describe('phasewise db migrate', () => {
  it('creates the journal schema the first time and changes nothing the second', async () => {
    const url = await freshDatabase();
    const { password, port } = new URL(url);
    const first = cli(['db', 'migrate', '--database-url', url], { cwd });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(
      new RegExp(
        `^postgresql://phasewise@127\\.0\\.0\\.1:${port}/pw_cli_\\w+: created the journal schema at version ${POSTGRES_SCHEMA_VERSION}\\n$`,
      ),
    );
    const second = cli(['db', 'migrate'], { cwd, env: { PHASEWISE_DATABASE_URL: url } });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain(`already at version ${POSTGRES_SCHEMA_VERSION}; nothing to do`);
    expect(first.stdout + second.stdout).not.toContain(password);
    expect(await appliedVersions(url)).toEqual(allVersions);
  }, 60_000);

  it('lets two processes migrate one database at the same time: both succeed, the tables are created once', async () => {
    const url = await freshDatabase();
    const results = await Promise.all([migrateLater(url), migrateLater(url)]);
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    const said = results.map((result) => (result.stdout.includes('created') ? 'created' : 'nothing'));
    expect(said.sort()).toEqual(['created', 'nothing']);
    expect(await appliedVersions(url)).toEqual(allVersions);
  }, 60_000);

  it('names host and port of a database it cannot reach, exit 2, without the password', async () => {
    const port = await closedPort();
    const secret = 'pw-never-shown-4d1f';
    const result = cli(
      ['db', 'migrate', '--database-url', `postgresql://phasewise:${secret}@127.0.0.1:${port}/phasewise`],
      {
        cwd,
      },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`cannot reach Postgres at 127.0.0.1:${port} (connection refused)`);
    expect(result.stderr).toContain(`postgresql://phasewise@127.0.0.1:${port}/phasewise`);
    expect(result.stderr).not.toContain(secret);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe('');
  });

  it('refuses a wrong password naming the user, host and port, without the password', () => {
    const { port } = new URL(server.url);
    const secret = 'wrong-pw-9c2e';
    const result = cli(
      ['db', 'migrate', '--database-url', `postgresql://phasewise:${secret}@127.0.0.1:${port}/phasewise`],
      {
        cwd,
      },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`refused user phasewise`);
    expect(result.stderr).toContain(`127.0.0.1:${port}`);
    expect(result.stderr).not.toContain(secret);
  });

  it('asks for a database URL when given none, exit 2', () => {
    const result = cli(['db', 'migrate'], { cwd, env: { PHASEWISE_DATABASE_URL: '' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no database URL');
    expect(result.stderr).toContain('PHASEWISE_DATABASE_URL');
  });
});
