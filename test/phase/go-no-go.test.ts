import { describe, expect, it } from 'vitest';
import { parseGoNoGo } from '../../src/phase/go-no-go.js';

describe('parseGoNoGo', () => {
  it.each([
    ['## Go/no-go\n**Go**: all checks pass.', 'go'],
    ['## 4. Go / No-Go\nNO-GO — the test suite fails.\n## Handoff\ngo ahead later', 'no-go'],
    ['## Go/no-go\nDecision: no go until the migration is reversible.', 'no-go'],
    ['## Go/no-go\nUndecided.', null],
    ['## Go/no-go\nThe go/no-go call: go.', 'go'],
    ['## Checks run\nall good, go', null],
  ])('%j → %s', (report, verdict) => {
    expect(parseGoNoGo(report)).toBe(verdict);
  });
});
