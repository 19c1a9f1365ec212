/** run_command is confined to the workspace: what lies outside it can be neither read nor changed. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { OUTSIDE_SECRET } from '../tool-workspace.js';
import type { Staged, ToolsContractLimits } from './staged.js';

export function describeCommandCases(staged: () => Staged, limits: ToolsContractLimits): void {
  const reason = limits.commandsConfined;
  it.skipIf(reason !== undefined)(
    `run_command cannot read, change or create files outside the workspace${reason === undefined ? '' : ` (skipped: ${reason})`}`,
    async () => {
      const { call, fixture } = staged();
      const result = await call('run_command', {
        command:
          `cat ${fixture.outside}/secret.txt ../outside/secret.txt; echo pwned >> ${fixture.outside}/secret.txt; ` +
          `echo pwned > ${fixture.outside}/new.txt; touch ../outside/dir/new.txt; echo inside > inside.txt`,
      });
      expect(result.output).not.toContain(OUTSIDE_SECRET);
      expect(readFileSync(join(fixture.outside, 'secret.txt'), 'utf8')).toBe(`${OUTSIDE_SECRET}\n`);
      expect(fixture.outsideListing()).toEqual(['dir', 'dir/secret.txt', 'secret.txt']);
      // Confined, not disabled: the workspace itself is written.
      expect(fixture.read('inside.txt')).toBe('inside\n');
    },
  );

  it('run_command runs in the workspace root and reports its exit code', async () => {
    const { call, fixture } = staged();
    const ok = await call('run_command', { command: 'pwd; ls src' });
    expect(ok.isError).toBe(false);
    expect(ok.output).toMatch(/^\[exit code 0 after [\d.]+ s\]\n/);
    expect(ok.output).toContain('app.ts');
    const failed = await call('run_command', { command: 'exit 3' });
    expect(failed.isError).toBe(true);
    expect(failed.output).toMatch(/^\[exit code 3 /);
    expect(fixture.read('src/app.ts')).toBe('export const app = 1;\n');
  });
}
