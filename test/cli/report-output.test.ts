/** `report -o`: only a regular file is written (atomically); a device, FIFO, folder or missing folder is refused. */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { makeCrashWorkspace } from '../support/crash-workspace.js';

let workspace = '';

beforeAll(() => {
  workspace = makeCrashWorkspace(0);
  expect(cli(['run'], { cwd: workspace }).code).toBe(0);
});

function refused(output: string, reason: RegExp) {
  const result = cli(['report', '-o', output, '--format', 'json'], { cwd: workspace });
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).toMatch(reason);
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

describe('report -o', () => {
  it('replaces a regular file, keeping its permissions', () => {
    const path = join(workspace, 'existing.json');
    writeFileSync(path, 'old', { mode: 0o640 });
    expect(cli(['report', '-o', path], { cwd: workspace }).code).toBe(0);
    expect(JSON.parse(readFileSync(path, 'utf8')).status).toBe('succeeded');
    expect(statSync(path).mode & 0o777).toBe(0o640);
  });

  it.runIf(existsSync('/dev/full'))('refuses a device and leaves it a device', () => {
    refused('/dev/full', /\/dev\/full: is a device, not a regular file/);
    expect(lstatSync('/dev/full').isCharacterDevice()).toBe(true);
  });

  it('refuses a FIFO and leaves it a FIFO', () => {
    const fifo = join(workspace, 'pipe.json');
    execFileSync('mkfifo', [fifo]);
    refused(fifo, /is a FIFO, not a regular file/);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('refuses a folder', () => {
    const folder = join(workspace, 'folder.json');
    mkdirSync(folder);
    refused(folder, /is a folder, not a regular file/);
    expect(lstatSync(folder).isDirectory()).toBe(true);
  });

  it('never creates a missing folder', () => {
    refused(join(workspace, 'nonexistent', 'dir', 'x.json'), /folder .*nonexistent\/dir does not exist/);
    expect(existsSync(join(workspace, 'nonexistent'))).toBe(false);
  });

  it('writes through a symbolic link to a regular file, keeping the link', () => {
    const target = join(workspace, 'target.json');
    const link = join(workspace, 'link.json');
    writeFileSync(target, 'old');
    symlinkSync(target, link);
    expect(cli(['report', '-o', link], { cwd: workspace }).code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect(JSON.parse(readFileSync(target, 'utf8')).status).toBe('succeeded');
  });

  it('refuses a symbolic link to a device or to nothing', () => {
    const toDevice = join(workspace, 'null-link.json');
    symlinkSync('/dev/null', toDevice);
    refused(toDevice, /links to a device, not a regular file/);
    expect(lstatSync(toDevice).isSymbolicLink()).toBe(true);
    const dangling = join(workspace, 'dangling.json');
    symlinkSync(join(workspace, 'nowhere.json'), dangling);
    refused(dangling, /is a symbolic link to nothing/);
    expect(existsSync(join(workspace, 'nowhere.json'))).toBe(false);
  });
});
