import { describe, expect, it } from 'vitest';
import { parseGoNoGo } from '../../src/phase/go-no-go.js';

describe('parseGoNoGo', () => {
  it.each([
    ['## Go/no-go\n**Go**: all checks pass.', 'go'],
    ['## 4. Go / No-Go\nNO-GO — the test suite fails.\n## Handoff\ngo ahead later', 'no-go'],
    ['## Go/no-go\nDecision: no go until the migration is reversible.', 'no-go'],
    ['## Go/no-go\nUndecided.', null],
    ['## Go/no-go\nThe go/no-go call: go.', 'go'],
    ['## Go/No-Go: NO-GO\nThe suite is red.', 'no-go'],
    ['## Go/no-go — NO-GO\nReason: tests do not go green', 'no-go'],
    ['## Go/no-go\nReason: tests do not go green yet.', null],
    ['## Checks run\nall good, go', null],
  ])('%j → %s', (report, verdict) => {
    expect(parseGoNoGo(report)).toBe(verdict);
  });
});

describe('the Go/no-go heading', () => {
  it('counts as the deliverable however it is spaced', async () => {
    const { checkSections } = await import('../../src/gate/check-sections.js');
    expect(checkSections('## Go / No-Go\nGo.', ['Go/no-go']).score).toBe(1);
  });
});
