import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { attributeChanges } from '../../src/tools/change-attribution.js';
import { CHANGE_TIME_SLACK_MS, ChangeWindows, withinWindows } from '../../src/tools/change-windows.js';

describe('withinWindows', () => {
  const windows = [
    { startMs: 1_000, endMs: 2_000 },
    { startMs: 5_000, endMs: 5_000 },
  ];
  it.each([
    [1_000, true],
    [1_500, true],
    [2_000, true],
    [5_000, true],
    [1_000 - CHANGE_TIME_SLACK_MS, true],
    [2_000 + CHANGE_TIME_SLACK_MS, true],
    [1_000 - CHANGE_TIME_SLACK_MS - 1, false],
    [3_000, false],
    [6_000, false],
  ])('a change at %d ms is inside: %s', (at, inside) => {
    expect(withinWindows(at, windows)).toBe(inside);
  });

  it('has nothing inside no windows', () => {
    expect(withinWindows(1_000, [])).toBe(false);
  });
});

describe('attributeChanges', () => {
  const workspace = () => {
    const root = mkdtempSync(join(tmpdir(), 'phasewise-attribution-'));
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'src', 'kept.js'), 'x');
    writeFileSync(join(root, 'src', 'gone.js'), 'x');
    return root;
  };

  it('gives the phase what changed during its windows, others what changed outside them', async () => {
    const root = workspace();
    await sleep(CHANGE_TIME_SLACK_MS + 20);
    const windows = new ChangeWindows();
    writeFileSync(join(root, 'before.txt'), 'someone else');
    await sleep(CHANGE_TIME_SLACK_MS + 20);
    await windows.during(async () => {
      writeFileSync(join(root, 'src', 'made.js'), 'the phase');
      rmSync(join(root, 'src', 'gone.js'));
    });
    await sleep(CHANGE_TIME_SLACK_MS + 20);
    writeFileSync(join(root, 'after.txt'), 'someone else');
    const changed = ['after.txt', 'before.txt', 'src/gone.js', 'src/made.js'];
    expect(await attributeChanges(root, changed, windows)).toEqual({
      byThePhase: ['src/gone.js', 'src/made.js'],
      byOthers: ['after.txt', 'before.txt'],
    });
  });

  it('counts every change against the phase when some of its windows are unknown (a crash mid-attempt)', async () => {
    const root = workspace();
    writeFileSync(join(root, 'outside.txt'), 'someone else');
    const windows = new ChangeWindows();
    windows.markIncomplete();
    expect(await attributeChanges(root, ['outside.txt'], windows)).toEqual({
      byThePhase: ['outside.txt'],
      byOthers: [],
    });
  });
});
