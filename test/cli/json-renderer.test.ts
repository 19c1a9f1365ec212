/** `--json`: one event per line, every field kept — a fanned-out phase's lane events carry their item's id. */
import { describe, expect, it } from 'vitest';
import { jsonRenderer } from '../../src/cli/render/renderer.js';
import { fanOutEvents } from '../report/fan-out-run.js';

describe('the NDJSON event stream', () => {
  it('passes each lane event through with its item, and a merge turn’s with mergeTurn', () => {
    const lines: string[] = [];
    const renderer = jsonRenderer((line) => lines.push(line));
    const events = fanOutEvents();
    for (const event of events) renderer.onEvent(event);
    renderer.close();
    expect(lines).toHaveLength(events.length);
    expect(lines.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n'))).toBe(true);
    const parsed = lines.map((line) => JSON.parse(line));
    const calls = parsed.filter((event) => event.type === 'model-call-end');
    expect(calls.map((event) => event.item)).toEqual(['api', 'docs', 'ui', 'ui', 'api', 'ui']);
    expect(calls.at(-1)).toMatchObject({ item: 'ui', mergeTurn: true, costUsd: 0.02 });
    expect(parsed.find((event) => event.type === 'merge-end' && event.item === 'ui')).toMatchObject({
      outcome: 'resolved',
      files: ['src/app.ts'],
      index: 2,
    });
    expect(
      parsed.find((event) => event.type === 'fan-out-start').items.map((item: { id: string }) => item.id),
    ).toEqual(['api', 'ui', 'docs']);
    expect(parsed.find((event) => event.type === 'phase-end').item).toBeUndefined();
  });
});
