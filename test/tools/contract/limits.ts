/** Every tool keeps its output under the cap it was built with, and says how to get the rest. */
import { expect, it } from 'vitest';
import type { MakeTools } from './staged.js';
import { stage } from './staged.js';

export function describeOutputLimitCases(makeTools: MakeTools): void {
  it('read stops at the cap and says where to continue', async () => {
    const staged = stage(makeTools, 4096);
    try {
      const long = Array.from({ length: 2_000 }, (_, index) => `${'x'.repeat(60)} ${index + 1}`).join('\n');
      staged.fixture.write({ 'long.txt': long });
      const result = await staged.call('read', { path: 'long.txt' });
      expect(Buffer.byteLength(result.output)).toBeLessThanOrEqual(4096);
      expect(result.output).toMatch(
        /\[output limit reached: showed lines 1–\d+ of 2000 lines; continue with offset=\d+\]$/,
      );
    } finally {
      staged.cleanup();
    }
  });

  it('grep stops at the cap and says how to narrow the search', async () => {
    const staged = stage(makeTools, 2048);
    try {
      staged.fixture.write({
        'many.txt': Array.from({ length: 5_000 }, (_, index) => `match ${index}`).join('\n'),
      });
      const result = await staged.call('grep', { pattern: 'match', path: 'many.txt' });
      expect(Buffer.byteLength(result.output)).toBeLessThanOrEqual(2048);
      expect(result.output).toMatch(
        /\[output limit reached after \d+ matching lines; narrow the search with path or glob\]$/,
      );
    } finally {
      staged.cleanup();
    }
  });

  it('run_command keeps the beginning and the end of long output under the cap', async () => {
    const staged = stage(makeTools, 4096);
    try {
      const result = await staged.call('run_command', { command: 'seq 1 100000' });
      expect(Buffer.byteLength(result.output)).toBeLessThanOrEqual(4096);
      expect(result.output).toMatch(/^\[exit code 0[^\n]*\n1\n2\n3\n/);
      expect(result.output).toMatch(/\n99999\n100000\n$/);
      expect(result.output).toMatch(/\[… \d+ bytes of output omitted …\]/);
    } finally {
      staged.cleanup();
    }
  });
}
