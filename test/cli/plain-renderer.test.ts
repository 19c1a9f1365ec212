import { describe, expect, it } from 'vitest';
import { plainRenderer } from '../../src/cli/render/plain-renderer.js';

describe('plain progress', () => {
  it('prints a line per meaningful event, and a heartbeat while a model call is slow', async () => {
    const lines: string[] = [];
    const renderer = plainRenderer((line) => lines.push(line), 50);
    const at = new Date().toISOString();
    renderer.onEvent({
      type: 'model-call-start',
      runId: 'r',
      at,
      phaseId: 'research',
      attempt: 1,
      turn: 1,
      model: 'm',
      reservedUsd: 0.01,
    });
    renderer.onEvent({
      type: 'tool-call',
      runId: 'r',
      at,
      phaseId: 'research',
      attempt: 1,
      turn: 1,
      tool: 'read',
      summary: '{}',
    });
    expect(lines).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await renderer.close();
    expect(lines.slice(1).some((line) => /still waiting on the model: research \(\d/.test(line))).toBe(true);
  });
});
