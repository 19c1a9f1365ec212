import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkGrounding } from '../../src/gate/check-grounding.js';
import { tempWorkspace } from './gate-fixtures.js';

const signal = new AbortController().signal;
const ground = (
  report: string,
  workspace: string,
  options: { minCitations?: number; symbols?: boolean; allowNew?: boolean } = {},
) =>
  checkGrounding(report, {
    workspace,
    minCitations: 0,
    symbols: true,
    allowNew: false,
    abortSignal: signal,
    ...options,
  });

function repository(): string {
  return tempWorkspace({
    'src/auth.js': 'export function parseToken(raw) {\n  return raw;\n}\nexport const MAX_RETRIES = 3;\n',
    'src/session/refresh.ts': 'export class Session {\n  refresh() {}\n}\n',
    'README.md': '# demo\n',
    '.gitignore': 'generated/\n',
    'generated/hidden.js': 'export const ignoredSymbol_only = 1;\n',
  });
}

describe('grounding', () => {
  it('passes when every cited path, line and symbol exists', async () => {
    const workspace = repository();
    const report = [
      '## File map',
      '- src/auth.js:3 holds `parseToken`; `Session.refresh()` is in `src/session/refresh.ts`.',
      '- `README.md`, `MAX_RETRIES`, and the directory `src/session/`.',
    ].join('\n');
    const outcome = await ground(report, workspace);
    expect(outcome).toMatchObject({ score: 1, message: 'all 7 cited paths and symbols exist' });
    expect(outcome.evidence).toMatchObject({ cited: 7, found: 7, missing: [] });
  });

  it('scores the share that exists and lists the missing ones with the reason', async () => {
    const workspace = repository();
    const report =
      'See src/auth.js:99, src/billing.js, `src/auth.js`, `refreshAll`, `parseToken` and ../outside/secret.txt.';
    const outcome = await ground(report, workspace);
    expect(outcome.score).toBeCloseTo(2 / 5);
    expect(outcome.evidence).toMatchObject({
      cited: 5,
      found: 2,
      missing: [
        { citation: 'src/auth.js:99', reason: 'line 99 cited, the file has 4' },
        { citation: 'src/billing.js', reason: 'not found' },
        { citation: '../outside/secret.txt', reason: 'outside the workspace' },
      ],
    });
    expect(outcome.message).toMatch(/^2 of 5 citations exist; not in the workspace: `src\/auth.js:99`/);
  });

  it('does not find symbols that occur only in ignored files', async () => {
    const outcome = await ground('Uses `ignoredSymbol_only` and `parseToken`.', repository(), {
      minCitations: 2,
    });
    expect(outcome).toMatchObject({ score: 0.5, evidence: { cited: 1, found: 1, missing: [] } });
  });

  it('neither counts nor reports a library symbol the workspace does not define', async () => {
    const report =
      'Sign with `createHmac` from `crypto.createHmac`, then `structuredClone()` the `process.env` copy; ' +
      'see `src/auth.js:3` and `parseToken`.';
    const outcome = await ground(report, repository());
    expect(outcome).toMatchObject({
      score: 1,
      message: 'all 2 cited paths and symbols exist',
      evidence: { cited: 2, found: 2, missing: [] },
    });
    expect(JSON.stringify(outcome)).not.toContain('createHmac');
  });

  it('finds a partial path below the root, and says where', async () => {
    const outcome = await ground('The refresh logic: session/refresh.ts', repository());
    expect(outcome).toMatchObject({ score: 1 });
    expect(outcome.evidence).toMatchObject({
      foundElsewhere: [{ citation: 'session/refresh.ts', as: 'src/session/refresh.ts' }],
    });
  });

  it('reads absolute paths inside the workspace, refuses links leading out of it', async () => {
    const workspace = repository();
    const outside = tempWorkspace({ 'secret.txt': 'x\n' });
    symlinkSync(outside, join(workspace, 'linked'));
    const report = `Cited: ${workspace}/src/auth.js and \`linked/secret.txt\` and \`/etc/passwd.txt\`.`;
    const outcome = await ground(report, workspace);
    expect(outcome.evidence).toMatchObject({
      found: 1,
      missing: [
        { citation: 'linked/secret.txt', reason: 'a link leading outside the workspace' },
        { citation: '/etc/passwd.txt', reason: 'not found' },
      ],
    });
  });

  it('scores 1 with a note when nothing is cited, unless citations are required', async () => {
    const workspace = repository();
    expect(await ground('Nothing concrete here.', workspace)).toMatchObject({
      score: 1,
      message: 'no paths or symbols cited: nothing to check',
    });
    expect(await ground('Nothing concrete here.', workspace, { minCitations: 2 })).toMatchObject({
      score: 0,
      message: 'no paths or symbols cited; at least 2 expected',
    });
    const few = await ground('Only src/auth.js.', workspace, { minCitations: 4 });
    expect(few.score).toBe(0.25);
    expect(few.message).toBe('all 1 cited paths and symbols exist; at least 4 citations expected');
  });

  it('does not count absent citations a plan introduces as new, when allowed', async () => {
    const workspace = repository();
    const plan = [
      '## Implementation plan',
      '- `src/tokens.js` (new): `signJwt`, `verifyJwt`.',
      '- `src/auth.js` (changed): add `issueTokens` beside `parseToken`;',
      '  keep `MAX_RETRIES`.',
      '',
      '1. Wire `signJwt` into `src/server.js`.',
    ].join('\n');
    const allowed = await ground(plan, workspace, { allowNew: true });
    expect(allowed.evidence).toMatchObject({
      cited: 4,
      found: 3,
      missing: [{ citation: 'src/server.js', reason: 'not found' }],
      introducedAsNew: ['src/tokens.js'],
    });
    expect(allowed.score).toBe(0.75);
    expect(allowed.message).toBe(
      '3 of 4 citations exist; not in the workspace: `src/server.js` (1 introduced as new, not counted)',
    );
    const strict = await ground(plan, workspace);
    expect(strict.score).toBe(3 / 5);
  });

  it('leaves symbols alone when told to', async () => {
    const outcome = await ground('`inventedFunction` in src/auth.js', repository(), { symbols: false });
    expect(outcome).toMatchObject({ score: 1, evidence: { cited: 1 } });
  });
});
