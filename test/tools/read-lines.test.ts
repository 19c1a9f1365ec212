/**
 * The read tool's two ways through a file — read whole and split here, or streamed through node:readline — give
 * the same output for the same bytes: line endings of every kind, cut and invalid UTF-8, offsets, limits and
 * byte budgets. And a file that grows after it was opened is streamed, not cut at its old size.
 */
import { appendFileSync, closeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/policy/random.js';
import { resolveWorkspacePath } from '../../src/tools/path-guard.js';
import { type LineOptions, readNumberedLines } from '../../src/tools/read-lines.js';
import { openCheckedFileSync } from '../../src/tools/verified-open.js';
import { makeToolWorkspace, type ToolWorkspace } from './tool-workspace.js';

let fixture: ToolWorkspace;
beforeEach(() => {
  fixture = makeToolWorkspace();
});
afterEach(() => fixture.cleanup());

type Shape = Omit<LineOptions, 'redact' | 'refuseBinary' | 'wholeFileBytes'>;

async function readBothWays(bytes: Buffer, shape: Shape): Promise<{ whole: string; streamed: string }> {
  writeFileSync(join(fixture.workspace, 'f.txt'), bytes);
  const path = await resolveWorkspacePath(fixture.workspace, 'f.txt', 'read');
  const once = async (wholeFileBytes: number) => {
    const file = openCheckedFileSync(path);
    try {
      return await readNumberedLines(file, {
        ...shape,
        redact: (line) => line.replaceAll('secret', '[REDACTED]'),
        refuseBinary: () => {},
        wholeFileBytes,
      });
    } finally {
      closeSync(file.fd);
    }
  };
  return { whole: await once(bytes.length), streamed: await once(0) };
}

const PIECES = ['a', 'bc', ' ', '\n', '\r', '\r\n', '\n\n', 'é', '€', 'secret', '\t'].map((text) =>
  Buffer.from(text),
);
const ODD_BYTES = [Buffer.from([0xff]), Buffer.from([0xe2, 0x82]), Buffer.from([0xc3])];

describe('read-lines', () => {
  it('gives the same output read whole as streamed, for 300 generated files', async () => {
    for (let seed = 1; seed <= 300; seed++) {
      const next = seededRandom(seed);
      const parts: Buffer[] = [];
      const count = Math.floor(next() * 120);
      for (let index = 0; index < count; index++) {
        const odd = next() < 0.05;
        const pool = odd ? ODD_BYTES : PIECES;
        parts.push(pool[Math.floor(next() * pool.length)]!);
      }
      const shape = {
        offset: 1 + Math.floor(next() * 4),
        limit: 1 + Math.floor(next() * 12),
        maxBytes: 20 + Math.floor(next() * 300),
      };
      const { whole, streamed } = await readBothWays(Buffer.concat(parts), shape);
      expect(whole, `seed ${seed}`).toBe(streamed);
    }
  });

  it('gives the same output where a line ending falls on the stream chunk boundary (64 KiB)', async () => {
    for (const ending of ['\r\n', '\r', '\n', '\r\r\n', '\n\r']) {
      for (const before of [65_535, 65_536]) {
        const bytes = Buffer.from(`${'x'.repeat(before - 3)}ab${ending}next line\rlast`);
        const shape = { offset: 1, limit: 5, maxBytes: 200_000 };
        const { whole, streamed } = await readBothWays(bytes, shape);
        expect(whole, JSON.stringify({ ending, before })).toBe(streamed);
        expect(whole).toMatch(/\t(?:next line|\r?last)/);
      }
    }
  });

  it('streams a file that grew after it was opened, rather than cutting it at its old size', async () => {
    const file = join(fixture.workspace, 'growing.txt');
    writeFileSync(file, 'one\ntwo\n');
    const path = await resolveWorkspacePath(fixture.workspace, 'growing.txt', 'read');
    const opened = openCheckedFileSync(path);
    try {
      appendFileSync(file, 'three\n');
      const text = await readNumberedLines(opened, {
        offset: 1,
        limit: 10,
        maxBytes: 1_000,
        redact: (line) => line,
        refuseBinary: () => {},
      });
      expect(text).toBe('     1\tone\n     2\ttwo\n     3\tthree');
    } finally {
      closeSync(opened.fd);
    }
  });
});
