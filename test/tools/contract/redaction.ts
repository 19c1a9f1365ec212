/** A secret in a file or in a command's output comes back redacted, from every tool that shows content. */
import { expect, it } from 'vitest';
import { SHAPED, type Staged, secretsIn } from './staged.js';

export function describeRedactionCases(staged: () => Staged): void {
  it('read shows .env values and known keys as placeholders', async () => {
    const { call } = staged();
    const env = await call('read', { path: '.env' });
    expect(env.output).toBe('     1\tWEBHOOK_SIGNING=[REDACTED:WEBHOOK_SIGNING]\n     2\tPORT=3000');
    const notes = await call('read', { path: 'notes.md' });
    expect(notes.output).toBe('     1\tthe key is [REDACTED:ANTHROPIC_API_KEY]');
    expect(secretsIn((await call('read', { path: 'src/config.ts' })).output)).toEqual([]);
  });

  it('grep shows matching lines with their secrets hidden', async () => {
    const { call } = staged();
    const result = await call('grep', { pattern: 'key|whsec|ghp_|WEBHOOK' });
    expect(secretsIn(result.output)).toEqual([]);
    expect(result.output).toContain('notes.md:1: the key is [REDACTED:ANTHROPIC_API_KEY]');
  });

  it('run_command hides secrets in whatever the command prints', async () => {
    const { call } = staged();
    const result = await call('run_command', { command: `cat .env notes.md src/config.ts; echo ${SHAPED}` });
    expect(result.isError).toBe(false);
    expect(secretsIn(result.output)).toEqual([]);
    expect(result.output).toContain('WEBHOOK_SIGNING=[REDACTED:WEBHOOK_SIGNING]');
    expect(result.output).toContain('the key is [REDACTED:ANTHROPIC_API_KEY]');
  });

  it('an error that echoes the input hides the secret in it', async () => {
    const { call } = staged();
    const result = await call('read', { path: `missing-${SHAPED}.txt` });
    expect(result.isError).toBe(true);
    expect(secretsIn(result.output)).toEqual([]);
  });
}
