/**
 * A plain workspace's file hashes: the sha256 of each file's content whether it is read whole or streamed, in the
 * order given, with files that are gone or no longer regular left out (a FIFO must not hang the event loop), and
 * the event loop given back while many files are hashed.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashFiles } from '../../src/tools/file-hashes.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'phasewise-hashes-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const sha256 = (content: string | Buffer) => createHash('sha256').update(content).digest('hex');

describe('hashFiles', () => {
  it('hashes small, empty and large files by their content, in the order given', async () => {
    const large = Buffer.alloc(3 * 1024 * 1024 + 17, 'abc');
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'src', 'a.js'), 'const a = 1;\n');
    writeFileSync(join(root, 'empty.txt'), '');
    writeFileSync(join(root, 'big.bin'), large);
    const hashes = await hashFiles(root, ['big.bin', 'empty.txt', 'src/a.js']);
    expect(hashes).toEqual({
      'big.bin': sha256(large),
      'empty.txt': sha256(''),
      'src/a.js': sha256('const a = 1;\n'),
    });
    expect(Object.keys(hashes)).toEqual(['big.bin', 'empty.txt', 'src/a.js']);
  });

  it('leaves out a file that is gone, and a FIFO put in its place, without waiting on it', async () => {
    writeFileSync(join(root, 'kept.txt'), 'kept');
    execFileSync('mkfifo', [join(root, 'pipe')]);
    const hashes = await hashFiles(root, ['gone.txt', 'kept.txt', 'pipe']);
    expect(hashes).toEqual({ 'kept.txt': sha256('kept') });
  });

  it('gives the event loop back while it hashes many files', async () => {
    const files = Array.from({ length: 1_000 }, (_, index) => `f${index}.txt`);
    for (const file of files) writeFileSync(join(root, file), file);
    let turns = 0;
    let done = false;
    const count = () => {
      turns++;
      if (!done) setImmediate(count);
    };
    setImmediate(count);
    const hashes = await hashFiles(root, files);
    done = true;
    expect(Object.keys(hashes)).toHaveLength(1_000);
    expect(hashes['f999.txt']).toBe(sha256('f999.txt'));
    expect(turns).toBeGreaterThanOrEqual(3);
  });
});
