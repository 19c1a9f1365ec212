/**
 * A link swapped in after the check: the guard's check passes on a real file or directory, then — before the
 * tool opens it — the file or its parent directory is replaced by a link to the outside. The post-open
 * verification (O_NOFOLLOW, descriptor identity, /proc/self/fd) must refuse, and nothing may be read or written
 * outside. The swap is staged through the `_internal.afterPathCheck` seam, and directly on the guard's parts.
 */

import { existsSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeCheckedFile } from '../../src/tools/checked-write.js';
import type { WorkspacePath } from '../../src/tools/path-guard.js';
import { resolveWorkspacePath } from '../../src/tools/path-guard.js';
import { runRipgrep } from '../../src/tools/ripgrep.js';
import {
  openCheckedDirectory,
  openCheckedFile,
  openedDirectoryPath,
  verifyOpened,
} from '../../src/tools/verified-open.js';
import { createWorkspaceTools } from '../../src/tools/workspace-tools.js';
import { callTool, makeToolWorkspace, OUTSIDE_SECRET, type ToolWorkspace } from './tool-workspace.js';

let fixture: ToolWorkspace;
const outsideFiles = ['dir', 'dir/secret.txt', 'dir/victim.txt', 'secret.txt'];

beforeEach(() => {
  fixture = makeToolWorkspace();
  fixture.write({ 'victim.txt': 'OUTSIDE is a word here\n', 'dir/victim.txt': 'OUTSIDE is a word here\n' });
  // The attacker's target has the same name, so only the verification can tell the two apart.
  writeFileSync(join(fixture.outside, 'dir', 'victim.txt'), `${OUTSIDE_SECRET}\n`);
});
afterEach(() => fixture.cleanup());

/** Replaces a workspace file by a link to the outside secret. */
const swapFile = (relative: string) => () => {
  rmSync(join(fixture.workspace, relative));
  symlinkSync(join(fixture.outside, 'secret.txt'), join(fixture.workspace, relative));
};

/** Moves `dir` away and puts a link to the outside directory in its place. */
const swapDirectory = () => {
  renameSync(join(fixture.workspace, 'dir'), join(fixture.workspace, 'dir-moved'));
  symlinkSync(join(fixture.outside, 'dir'), join(fixture.workspace, 'dir'));
};

function toolsSwapping(swap: () => void) {
  let swapped = false;
  return createWorkspaceTools({
    _internal: {
      afterPathCheck: () => {
        if (swapped) return;
        swapped = true;
        swap();
      },
    },
  });
}

describe('tools, with a link swapped in after the check', () => {
  it('read refuses a file replaced by a link (O_NOFOLLOW)', async () => {
    const result = await callTool(
      toolsSwapping(swapFile('victim.txt')),
      'read',
      { path: 'victim.txt' },
      fixture.workspace,
    );
    expect(result.isError).toBe(true);
    expect(result.output).toMatch(/became a symbolic link \(or changed kind\) after it was checked/);
    expect(result.output).not.toContain(OUTSIDE_SECRET);
  });

  it('read refuses a file whose parent directory was replaced by a link', async () => {
    const result = await callTool(
      toolsSwapping(swapDirectory),
      'read',
      { path: 'dir/victim.txt' },
      fixture.workspace,
    );
    expect(result.isError).toBe(true);
    expect(result.output).toMatch(/was replaced between the check and the open/);
    expect(result.output).not.toContain(OUTSIDE_SECRET);
  });

  it('edit refuses, and the outside file is unchanged', async () => {
    const tools = toolsSwapping(swapDirectory);
    const result = await callTool(
      tools,
      'edit',
      { path: 'dir/victim.txt', old: 'OUTSIDE', new: 'pwned' },
      fixture.workspace,
    );
    expect(result.isError).toBe(true);
    expect(fixture.read('dir-moved/victim.txt')).toBe('OUTSIDE is a word here\n');
    expect(fixture.read('dir/victim.txt')).toBe(`${OUTSIDE_SECRET}\n`);
    expect(fixture.outsideListing()).toEqual(outsideFiles);
  });

  it('write of a new file refuses when its directory becomes a link, leaving nothing outside', async () => {
    const tools = toolsSwapping(swapDirectory);
    const result = await callTool(
      tools,
      'write',
      { path: 'dir/new.txt', content: 'pwned' },
      fixture.workspace,
    );
    expect(result.isError).toBe(true);
    expect(result.output).toMatch(/changed while it was being written/);
    expect(fixture.outsideListing()).toEqual(outsideFiles);
  });

  it('write over an existing file replaced by a link replaces the link, never the outside file', async () => {
    const tools = toolsSwapping(swapFile('victim.txt'));
    const result = await callTool(
      tools,
      'write',
      { path: 'victim.txt', content: 'new\n' },
      fixture.workspace,
    );
    // The rename replaces the link itself: the content lands inside, the outside file is untouched.
    expect(result.isError).toBe(false);
    expect(fixture.read('victim.txt')).toBe('new\n');
    expect(fixture.outsideListing()).toEqual(outsideFiles);
    expect(existsSync(join(fixture.outside, 'secret.txt'))).toBe(true);
  });

  it.each([
    ['grep', { pattern: 'OUTSIDE', path: 'dir' }],
    ['grep', { pattern: 'OUTSIDE', path: 'dir/victim.txt' }],
    ['list', { path: 'dir' }],
    ['glob', { pattern: '*.txt', path: 'dir' }],
  ])('%s %j refuses a directory replaced by a link', async (toolName, input) => {
    const result = await callTool(toolsSwapping(swapDirectory), toolName, input, fixture.workspace);
    expect(result.isError).toBe(true);
    expect(result.output).toMatch(
      /became a symbolic link \(or changed kind\) after it was checked|was replaced between the check/,
    );
    expect(result.output).not.toContain(OUTSIDE_SECRET);
  });

  it('a search of the whole workspace does not follow a directory swapped for a link', async () => {
    const tools = toolsSwapping(swapDirectory);
    const result = await callTool(tools, 'grep', { pattern: 'OUTSIDE-SECRET' }, fixture.workspace);
    expect(result.output).toBe('no matches for "OUTSIDE-SECRET"');
  });
});

describe.runIf(process.platform === 'linux')(
  'a search runs inside the opened directory, not at its name',
  () => {
    it('keeps searching the checked directory after its name was swapped for a link', async () => {
      const path = await resolveWorkspacePath(fixture.workspace, 'dir', 'read');
      const handle = await openCheckedDirectory(path);
      try {
        swapDirectory();
        const lines: string[] = [];
        await runRipgrep(['--no-config', '--no-require-git', '--line-number', 'OUTSIDE'], {
          directory: { handle, path: await openedDirectoryPath(handle, path) },
          abortSignal: new AbortController().signal,
          onLine: (line) => lines.push(line) > 0,
        });
        expect(lines).toEqual(['victim.txt:1:OUTSIDE is a word here']);
      } finally {
        await handle.close();
      }
    });
  },
);

describe('the post-open verification itself', () => {
  const checked = (relative: string) => resolveWorkspacePath(fixture.workspace, relative, 'read');

  it('refuses a descriptor whose identity differs from the checked file', async () => {
    const path = await checked('victim.txt');
    const other = await open(join(fixture.workspace, 'dir', 'victim.txt'));
    try {
      await expect(verifyOpened(other, path)).rejects.toThrow(/was replaced between the check and the open/);
    } finally {
      await other.close();
    }
  });

  it.runIf(process.platform === 'linux')(
    'refuses a descriptor that points outside (/proc/self/fd)',
    async () => {
      // Identity unknown (as for a path checked before it existed): only the descriptor's real path can tell.
      const path: WorkspacePath = { ...(await checked('victim.txt')), identity: undefined };
      const outsideHandle = await open(join(fixture.outside, 'secret.txt'));
      try {
        await expect(verifyOpened(outsideHandle, path)).rejects.toThrow(/leads outside the workspace/);
      } finally {
        await outsideHandle.close();
      }
    },
  );

  it('openCheckedFile refuses after a parent swap between resolve and open', async () => {
    const path = await checked('dir/victim.txt');
    swapDirectory();
    await expect(openCheckedFile(path)).rejects.toThrow(/was replaced/);
  });

  it('writeCheckedFile refuses after a parent swap and leaves no temporary file', async () => {
    const path = await resolveWorkspacePath(fixture.workspace, 'dir/victim.txt', 'write');
    swapDirectory();
    await expect(writeCheckedFile(path, 'pwned')).rejects.toThrow(/changed while it was being written/);
    expect(fixture.outsideListing()).toEqual(outsideFiles);
    expect(readdirSync(join(fixture.workspace, 'dir-moved'))).toEqual(['victim.txt']);
  });
});
