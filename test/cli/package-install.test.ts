/**
 * phasewise as a user installs it from a tarball: `npm pack`, `npm install -g <tarball>` into a temporary prefix,
 * then `phasewise --version` and `phasewise demo` from that prefix's bin, with Node >= 22 first on PATH. Catches
 * a `files` list that leaves out what the CLI loads at run time (the examples, the schema), a bin that is not
 * executable, and hints that name a command the user does not have.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
let scratch: string;
let bin: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'phasewise-install-'));
  execFileSync('npm', ['pack', '--pack-destination', scratch, '--silent'], { cwd: root, stdio: 'pipe' });
  const tarball = readdirSync(scratch).find((name) => name.endsWith('.tgz'));
  expect(tarball, 'npm pack wrote a tarball').toBeDefined();
  const prefix = join(scratch, 'prefix');
  // The dependencies come from npm's cache, filled by the checkout's own `npm ci`.
  execFileSync(
    'npm',
    [
      'install',
      '-g',
      '--prefix',
      prefix,
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      join(scratch, tarball!),
    ],
    { cwd: scratch, stdio: 'pipe', timeout: 240_000 },
  );
  bin = join(prefix, 'bin');
  // Only the prefix's bin and this Node (>= 22) on PATH: no checkout wrapper, no other phasewise.
  env = {
    PATH: [bin, dirname(process.execPath), '/usr/bin', '/bin'].join(':'),
    HOME: scratch,
    ANTHROPIC_API_KEY: '',
    OPENAI_API_KEY: '',
  };
}, 300_000);

afterAll(() => {
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

describe('the package installed from its tarball', () => {
  it('puts a working phasewise on PATH', () => {
    const version = spawnSync('phasewise', ['--version'], { env, cwd: scratch, encoding: 'utf8' });
    expect(version.stderr).toBe('');
    expect(version.status).toBe(0);
    const pkg = JSON.parse(execFileSync('npm', ['pkg', 'get', 'version'], { cwd: root, encoding: 'utf8' }));
    expect(version.stdout.trim()).toBe(pkg);
  });

  it('runs the demo end to end, and its hints name `phasewise` as installed', () => {
    const demoDir = join(scratch, 'demo');
    const demo = spawnSync('phasewise', ['demo', '--dir', demoDir, '--latency', '0'], {
      env,
      cwd: scratch,
      encoding: 'utf8',
      timeout: 180_000,
    });
    expect(demo.status, demo.stderr).toBe(0);
    expect(demo.stderr).toContain('no real LLM is called');
    expect(demo.stderr).toContain(`see it again with: phasewise report --workspace ${demoDir}`);
    const status = spawnSync('phasewise', ['status', '--workspace', demoDir, '--json'], {
      env,
      cwd: scratch,
      encoding: 'utf8',
    });
    expect(status.status, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout).status).toBe('succeeded');
  }, 200_000);
});
