/**
 * `scripts/postgres.sh`: a throwaway PostgreSQL from Debian's packages on 127.0.0.1 and a free port, with a
 * password, reached through its URL by Debian's `psql`; a restart keeps its data (the fault tests restart it under
 * load); stopping it frees the port and removes its folder; a URL it did not start is a clear error, exit 2.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const script = join(import.meta.dirname, '..', '..', 'scripts', 'postgres.sh');
const started: string[] = [];

const postgres = (...args: string[]) => spawnSync('bash', [script, ...args], { encoding: 'utf8' });
const psql = (url: string, sql: string) =>
  execFileSync('psql', [url, '-qAtX', '-c', sql], { encoding: 'utf8' }).trim();

afterAll(() => {
  for (const url of started) postgres('stop', url);
});

describe('scripts/postgres.sh', () => {
  it('starts a server with a password on 127.0.0.1, restarts it with its data, and stops it', () => {
    const start = postgres('start');
    expect(start.status, start.stderr).toBe(0);
    const url = start.stdout.trim();
    started.push(url);
    const parsed = new URL(url);
    expect(parsed.protocol).toBe('postgresql:');
    expect(parsed.hostname).toBe('127.0.0.1');
    expect(parsed.password).toMatch(/^[0-9a-f]{32}$/);
    const folder = join(tmpdir(), `phasewise-postgres-${parsed.port}`);
    expect(existsSync(folder)).toBe(true);

    psql(url, 'CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)');
    // The password is required: the same URL without it is refused.
    const noPassword = new URL(url);
    noPassword.password = '';
    const refused = spawnSync('psql', [noPassword.toString(), '-qAtX', '-w', '-c', 'SELECT 1'], {
      encoding: 'utf8',
      env: { ...process.env, PGPASSWORD: '' },
    });
    expect(refused.status).not.toBe(0);

    const restart = postgres('restart', url);
    expect(restart.status, restart.stderr).toBe(0);
    expect(psql(url, 'SELECT n FROM kept')).toBe('42');

    const stop = postgres('stop', url);
    expect(stop.status, stop.stderr).toBe(0);
    expect(existsSync(folder)).toBe(false);
    const gone = spawnSync('psql', [url, '-qAtX', '-c', 'SELECT 1'], { encoding: 'utf8' });
    expect(gone.status).not.toBe(0);
  }, 60_000);

  it('refuses to stop a server it did not start, exit 2, naming the port', () => {
    const result = postgres('stop', 'postgresql://someone:secret@127.0.0.1:1/db');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('no PostgreSQL started by this script at 1');
    expect(result.stderr).not.toContain('secret');
  });
});
