/**
 * The GitHub Action's script (`phasewise action`, what action.yml runs), end to end on this machine: a recorded
 * `issue_comment` event (`/phasewise <task>`), the environment Actions set (GITHUB_EVENT_PATH, GITHUB_EVENT_NAME,
 * GITHUB_REPOSITORY, GITHUB_API_URL, GITHUB_TOKEN), the key as the workflow passes a secret, the fake LLM server
 * over HTTP, a fake GitHub API and a local bare repository as origin. The run is isolated on its branch, the
 * pull request opened, the report commented on the issue, and neither the token nor the key printed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeLlmServer, startFakeLlmServer } from '../../src/testing/index.js';
import { startCli } from '../support/cli.js';
import {
  E2E_KEY_ENV,
  e2eScript,
  makeGitWorkspace,
  PLANTED,
  providerConfig,
} from '../support/e2e-workspace.js';
import { type FakeGitHub, startFakeGitHub } from '../support/fake-github.js';
import { addBareOrigin, gitIn } from '../support/isolated-workspace.js';

const TOKEN = 'ghs_ActionInstallationToken0123456789abcd';
const EVENT = join(import.meta.dirname, '..', 'fixtures', 'github', 'issue-comment-created.json');
let llm: FakeLlmServer | undefined;
let github: FakeGitHub | undefined;

afterEach(async () => {
  await llm?.close();
  await github?.close();
});

function actionEnv(github: FakeGitHub, eventPath: string): Record<string, string> {
  return {
    GITHUB_EVENT_NAME: 'issue_comment',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: 'octo-org/widgets',
    GITHUB_API_URL: github.url,
    GITHUB_TOKEN: TOKEN,
    [E2E_KEY_ENV]: PLANTED.apiKey,
  };
}

describe('phasewise action', () => {
  it('runs the comment’s task on a branch, opens the pull request and comments the report', async () => {
    llm = await startFakeLlmServer({ script: e2eScript(), apiKey: PLANTED.apiKey });
    github = await startFakeGitHub({ owner: 'octo-org', repo: 'widgets' });
    const top = makeGitWorkspace();
    writeFileSync(join(top, 'phasewise.yaml'), providerConfig('anthropic', llm.anthropicBaseUrl));
    const remote = addBareOrigin(top);
    const userStatus = gitIn(top, '--no-optional-locks', 'status', '--porcelain');

    const result = await startCli(['action'], { cwd: top, env: actionEnv(github, EVENT) }).done;
    expect(result.code, result.stderr).toBe(0);
    llm.assertAllUsed();
    for (const text of [result.stdout, result.stderr]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(PLANTED.apiKey);
    }

    const runId = /isolated run (\S+):/.exec(result.stderr)?.[1] ?? '';
    const branch = `phasewise/${runId}`;
    expect(gitIn(remote, 'log', '-1', '--format=%s', branch).trim()).toBe(
      'Add a health check module with a test, keeping the existing tests green.',
    );
    expect(gitIn(remote, 'show', `${branch}:src/health.js`)).toContain('health');
    expect(gitIn(top, '--no-optional-locks', 'status', '--porcelain')).toBe(userStatus);

    expect(github.pulls).toHaveLength(1);
    expect(github.pulls[0]).toMatchObject({ head: branch, base: 'main' });
    expect(github.pulls[0]?.body).toMatch(/^From #42\.\n\n# phasewise run /);
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]?.issue).toBe(42);
    expect(github.comments[0]?.body).toMatch(
      /^Pull request: https:\/\/github\.example\/octo-org\/widgets\/pull\/1\n/,
    );
    expect(github.comments[0]?.body).toContain(`# phasewise run ${runId}: succeeded`);
    expect(github.requests.every((request) => request.authorization === `token ${TOKEN}`)).toBe(true);
  });

  it('does nothing for a comment that is not a command, or from someone outside the repository', async () => {
    github = await startFakeGitHub({ owner: 'octo-org', repo: 'widgets' });
    const top = makeGitWorkspace();
    const event = JSON.parse(readFileSync(EVENT, 'utf8'));
    const chatter = join(top, 'chatter.json');
    writeFileSync(chatter, JSON.stringify({ ...event, comment: { ...event.comment, body: 'thanks!' } }));
    const outsider = join(top, 'outsider.json');
    writeFileSync(
      outsider,
      JSON.stringify({ ...event, comment: { ...event.comment, author_association: 'NONE' } }),
    );
    for (const [path, why] of [
      [chatter, /does not start with `\/phasewise <task>`/],
      [outsider, /author is NONE, not an owner, member or collaborator/],
    ] as const) {
      const result = await startCli(['action'], { cwd: top, env: actionEnv(github, path) }).done;
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(why);
    }
    expect(github.requests).toEqual([]);
  });
});
