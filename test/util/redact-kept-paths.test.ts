/**
 * The workspace's path is never hidden: a temporary folder's random letters read as a secret to the entropy
 * rule, and the engine runs from records it redacted. What sits beside the path is still scanned.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedactor } from '../../src/util/redact.js';

const root = mkdtempSync(join(tmpdir(), 'phasewise-kept-'));
// Random letters, long enough that the entropy rule takes them for a credential.
const workspace = join(root, 'yHFlAnk9Qz7Lx2Pm4Rt8VwYb3NaZ3kQ9xL7p');
mkdirSync(workspace);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const secret = 'Zq8vL2xN7mK4pR9tW3yB6cD1fG5hJ0sA2eU7iO4';

describe('the redactor and the workspace path', () => {
  it('hides the random folder name when it is not the workspace (the rule the path would fall to)', () => {
    expect(createRedactor({ env: {} }).redact(`cwd ${workspace}/src`)).toContain('[REDACTED]');
  });

  it('keeps the workspace path, alone, inside a longer path and in JSON', () => {
    const redactor = createRedactor({ env: {}, workspace });
    for (const text of [
      workspace,
      `cwd ${workspace}/src/auth`,
      JSON.stringify({ workspace, file: `${workspace}/src/a.ts` }),
    ]) {
      expect(redactor.redact(text)).toBe(text);
    }
  });

  it('still hides a secret beside the kept path', () => {
    const redactor = createRedactor({ env: {}, workspace });
    const shown = redactor.redact(`${workspace} token ${secret} and ${workspace}/${secret}`);
    expect(shown).not.toContain(secret);
    expect(shown.split(workspace)).toHaveLength(3);
  });

  it('does not keep a path that holds a known secret', () => {
    const named = join(root, secret);
    mkdirSync(named);
    const redactor = createRedactor({ env: { DEPLOY_TOKEN: secret }, workspace: named });
    expect(redactor.redact(`in ${named}`)).not.toContain(secret);
  });

  it('keeps other texts it is told to keep (the configuration file outside the workspace)', () => {
    const config = join(root, 'k9Qz7Lx2Pm4Rt8VwYb3NaZ3kQ9xL7pWq', 'pw.yaml');
    const redactor = createRedactor({ env: {}, keep: [config] });
    expect(redactor.redact(`loaded ${config}`)).toBe(`loaded ${config}`);
  });
});
