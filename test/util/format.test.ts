/** The one format module: money rounded where shown or serialized, titles from tasks, tables measured without colour. */
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { jsonWithMoney, roundUsd, table, taskTitle, usd } from '../../src/util/format.js';

describe('format', () => {
  it('serializes every …Usd field to a millionth of a dollar, at any depth, and leaves other numbers alone', () => {
    const value = {
      costUsd: 0.5212456999999999,
      phases: [{ costUsd: 0.1 + 0.2, tokens: 1234 }],
      ratio: 1 / 3,
    };
    expect(JSON.parse(jsonWithMoney(value))).toEqual({
      costUsd: 0.521246,
      phases: [{ costUsd: 0.3, tokens: 1234 }],
      ratio: 1 / 3,
    });
    expect(jsonWithMoney(value)).not.toContain('0.5212456999999999');
    expect(roundUsd(0.0000004)).toBe(0);
  });

  it('shows money as cents, or to a hundredth of a cent below a dollar', () => {
    expect([usd(0.05), usd(0.0123), usd(1.234), usd(0.5212456999999999)]).toEqual([
      '$0.05',
      '$0.0123',
      '$1.23',
      '$0.5212',
    ]);
  });

  it('takes a run title from the task: first non-empty line, heading marks and `Task:` gone', () => {
    expect(taskTitle('\n\n# Task: move auth-service to JWT\n\nbody')).toBe('move auth-service to JWT');
    expect(taskTitle('## task:Fix the build')).toBe('Fix the build');
    expect(taskTitle('Fix #12 in the parser')).toBe('Fix #12 in the parser');
    expect(taskTitle('')).toBe('');
  });

  it('aligns table columns on their visible width: colours and links take none', () => {
    const red = '\u001b[31ma\u001b[39m';
    const link = '\u001b]8;;file:///tmp/x\u0007cc\u001b]8;;\u0007';
    const lines = table([
      [red, 'x'],
      [link, 'y'],
      ['bbb', 'z'],
    ]).split('\n');
    expect(lines.map((line) => stripVTControlCharacters(line))).toEqual(['a    x', 'cc   y', 'bbb  z']);
  });
});
