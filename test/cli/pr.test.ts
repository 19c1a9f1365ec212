/**
 * `phasewise pr <run>`: pushes an isolated run's branch to `origin` (a local bare repository) and opens a pull
 * request on a fake GitHub API (`GITHUB_API_URL`) with the Markdown report as its body; run again it updates that
 * pull request. The token never shows in any output, even when the push or the API fails; missing tokens, runs
 * that are not isolated and API refusals are explained. The built CLI as a subprocess, real git.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli } from '../support/cli.js';
import { type FakeGitHub, startFakeGitHub } from '../support/fake-github.js';
import { gitIn, isolatedWorkspace } from '../support/isolated-workspace.js';

const TOKEN = 'ghp_FakeTokenForTests0123456789abcdefABCD';
let github: FakeGitHub;
let top = '';
let remote = '';
let runId = '';

const phasewise = (args: string[], env: Record<string, string> = {}) =>
  startCli(args, { cwd: top, env: { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: github.url, ...env } }).done;

function expectNoToken(result: { stdout: string; stderr: string }) {
  expect(result.stdout).not.toContain(TOKEN);
  expect(result.stderr).not.toContain(TOKEN);
  expect(result.stderr).not.toContain(Buffer.from(`x-access-token:${TOKEN}`).toString('base64'));
}

beforeAll(async () => {
  github = await startFakeGitHub({ owner: 'octo-org', repo: 'widgets' });
  ({ top, remote } = isolatedWorkspace());
  const run = await phasewise(['run', '--worktree']);
  expect(run.code, run.stderr).toBe(0);
  runId = /isolated run (\S+):/.exec(run.stderr)?.[1] ?? '';
});

afterAll(async () => {
  await github.close();
});

describe('phasewise pr', () => {
  it('pushes the branch and opens a pull request with the report, then updates it when run again', async () => {
    const opened = await phasewise(['pr', runId, '--repo', 'octo-org/widgets']);
    expect(opened.code, opened.stderr).toBe(0);
    expect(opened.stdout).toMatch(new RegExp(`opened pull request #1 for phasewise/${runId}: https://`));
    expectNoToken(opened);
    const branch = `phasewise/${runId}`;
    expect(gitIn(remote, 'rev-parse', branch).trim()).toBe(gitIn(top, 'rev-parse', branch).trim());
    expect(github.pulls).toHaveLength(1);
    const [pull] = github.pulls;
    expect(pull).toMatchObject({ head: branch, base: 'main', title: 'Add a health endpoint' });
    expect(pull?.body).toContain(`# phasewise run ${runId}: succeeded`);
    expect(pull?.body).toContain(`Branch: \`${branch}\``);
    expect(pull?.body).toMatch(/\| implementation \| passed \|/);
    expect(pull?.body).toMatch(/saved/);
    const created = github.requests.find((request) => request.method === 'POST');
    expect(created?.authorization).toBe(`token ${TOKEN}`);

    const again = await phasewise(['pr', runId, '--repo', 'octo-org/widgets', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ action: 'updated', number: 1, branch });
    expect(github.pulls).toHaveLength(1);
    expect(github.requests.filter((request) => request.method === 'PATCH')).toHaveLength(1);
    expect(github.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
  });

  it('explains a missing token, a run that was not isolated, an unknown run and a missing --repo', async () => {
    const noToken = await phasewise(['pr', runId, '--repo', 'octo-org/widgets'], { GITHUB_TOKEN: '' });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/needs a GitHub token in GITHUB_TOKEN/);

    const unknown = await phasewise(['pr', 'nope', '--repo', 'octo-org/widgets']);
    expect(unknown.stderr).toMatch(/no run nope/);

    const plain = await phasewise(['run']);
    expect(plain.code, plain.stderr).toBe(0);
    const plainId = /run (\S+) succeeded/.exec(plain.stderr)?.[1] ?? '';
    const notIsolated = await phasewise(['pr', plainId, '--repo', 'octo-org/widgets']);
    expect(notIsolated.code).toBe(2);
    expect(notIsolated.stderr).toMatch(/was not isolated/);

    const noRepo = await phasewise(['pr', runId]);
    expect(noRepo.code).toBe(2);
    expect(noRepo.stderr).toMatch(
      /cannot tell the GitHub repository from the origin remote.*\n.*--repo OWNER\/NAME/,
    );
    gitIn(top, 'branch', '-m', `phasewise/${runId}`, 'kept-aside');
    const noBranch = await phasewise(['pr', runId, '--repo', 'octo-org/widgets']);
    gitIn(top, 'branch', '-m', 'kept-aside', `phasewise/${runId}`);
    expect(noBranch.code).toBe(2);
    expect(noBranch.stderr).toMatch(
      new RegExp(`the run's branch phasewise/${runId} is not in this repository`),
    );
    for (const result of [noToken, unknown, notIsolated, noRepo, noBranch]) {
      expectNoToken(result);
      expect(result.stderr).not.toMatch(/^\s+at /m);
    }
  });

  it('explains an API refusal (401, 403, 422) without printing the token', async () => {
    const answers = [
      [401, 'Bad credentials', /401: Bad credentials[\s\S]*GITHUB_TOKEN holds a valid/],
      [403, 'Resource not accessible by integration', /403[\s\S]*pull-requests: write/],
      [422, 'Validation Failed', /422: Validation Failed[\s\S]*no commits between/],
    ] as const;
    for (const [status, message, explained] of answers) {
      github.failWith({ status, message: `${message} (token ${TOKEN})` });
      const result = await phasewise(['pr', runId, '--repo', 'octo-org/widgets']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(explained);
      expectNoToken(result);
    }
    github.failWith(undefined);
  });

  it('never prints the token when the push fails, even from a remote URL that holds it', async () => {
    gitIn(
      top,
      'remote',
      'set-url',
      'origin',
      `https://x-access-token:${TOKEN}@127.0.0.1:9/octo-org/widgets.git`,
    );
    try {
      const result = await phasewise(['pr', runId]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/git could not push phasewise\//);
      expectNoToken(result);
    } finally {
      gitIn(top, 'remote', 'set-url', 'origin', remote);
    }
  });
});
