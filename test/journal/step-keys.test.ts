import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  inLane,
  isStepKind,
  KIND_OF_STEP,
  parseStepKey,
  STEP_KINDS,
  type StepKey,
  stepKey,
} from '../../src/journal/index.js';

/**
 * Every form of key, beside the text earlier versions wrote for it. The text is the replay's identity: a journal
 * written before the keys were built in one module resumes only if the same text is built again.
 */
const forms: Array<[StepKey, string]> = [
  [{ phaseId: 'research', step: 'snapshot' }, 'research/snapshot'],
  [{ phaseId: 'research', step: 'model-choice' }, 'research/model-choice'],
  [{ phaseId: 'implementation@2', step: 'result' }, 'implementation@2/result'],
  [{ phaseId: 'research', attempt: 1, step: 'attempt-start' }, 'research/a1/start'],
  [{ phaseId: 'research', attempt: 2, step: 'output' }, 'research/a2/output'],
  [{ phaseId: 'research', attempt: 3, step: 'gate' }, 'research/a3/gate'],
  [{ phaseId: 'review@2', attempt: 1, step: 'decision' }, 'review@2/a1/decision'],
  [{ phaseId: 'review', attempt: 12, step: 'review' }, 'review/a12/review'],
  [
    { phaseId: 'review', attempt: 1, step: 'judge-failed', id: 'f3b1-uuid' },
    'review/a1/judge-failed-f3b1-uuid',
  ],
  [{ phaseId: 'research', attempt: 1, turn: 3, step: 'model' }, 'research/a1/t3/model'],
  [
    { phaseId: 'research', attempt: 1, turn: 3, step: 'model-failed', id: '9d2e-uuid' },
    'research/a1/t3/model/failed-9d2e-uuid',
  ],
  [
    { phaseId: 'implementation', attempt: 1, turn: 3, step: 'tool', index: 0, toolCallId: 'toolu_01AbC' },
    'implementation/a1/t3/tool/0-toolu_01AbC',
  ],
  // A tool call id is the provider's: it may hold dashes and slashes.
  [
    { phaseId: 'research', attempt: 1, turn: 1, step: 'tool', index: 11, toolCallId: 'call-7/x' },
    'research/a1/t1/tool/11-call-7/x',
  ],
  // Journal schema version 1 keyed tool calls by id alone (test/fixtures/journal/v1).
  [
    { phaseId: 'research', attempt: 1, turn: 1, step: 'tool', toolCallId: 'call_1' },
    'research/a1/t1/tool/call_1',
  ],
  [
    { phaseId: 'implementation', attempt: 1, session: 1, step: 'session-start' },
    'implementation/a1/claude-code/s1/start',
  ],
  [
    { phaseId: 'implementation', attempt: 2, session: 3, step: 'session-end' },
    'implementation/a2/claude-code/s3/end',
  ],
  [
    { phaseId: 'implementation', attempt: 1, session: 1, step: 'session-response', response: 4 },
    'implementation/a1/claude-code/s1/m4',
  ],
  [
    {
      phaseId: 'implementation',
      attempt: 1,
      session: 1,
      step: 'session-response',
      response: 4,
      more: 'msg_01',
    },
    'implementation/a1/claude-code/s1/m4-more-msg_01',
  ],
  [
    {
      phaseId: 'implementation',
      attempt: 1,
      session: 2,
      step: 'session-settlement',
      name: 'rest-claude-sonnet-4-5',
    },
    'implementation/a1/claude-code/s2/rest-claude-sonnet-4-5',
  ],
  [
    {
      phaseId: 'implementation',
      attempt: 1,
      session: 2,
      step: 'session-settlement',
      name: 'rest-cache-lifetime',
    },
    'implementation/a1/claude-code/s2/rest-cache-lifetime',
  ],
];

const item = { kind: 'item', id: 'auth-tokens' } as const;
const merge = { kind: 'merge', index: 2 } as const;

/** Keys of a fanned-out phase and of its lanes (new with fan-out: no earlier version wrote them). */
const laneForms: Array<[StepKey, string]> = [
  [{ phaseId: 'implementation', step: 'fan-out' }, 'implementation/fan-out'],
  [{ phaseId: 'implementation', lane: item, step: 'lane-commit' }, 'implementation/item-auth-tokens/commit'],
  [{ phaseId: 'implementation', lane: merge, step: 'merge' }, 'implementation/merge-2/merge'],
  [{ phaseId: 'implementation', lane: merge, step: 'lane-commit' }, 'implementation/merge-2/commit'],
  [{ phaseId: 'implementation', lane: item, step: 'result' }, 'implementation/item-auth-tokens/result'],
  [
    { phaseId: 'implementation@2', lane: item, step: 'snapshot' },
    'implementation@2/item-auth-tokens/snapshot',
  ],
  [
    { phaseId: 'implementation', lane: item, attempt: 2, turn: 4, step: 'model' },
    'implementation/item-auth-tokens/a2/t4/model',
  ],
  [
    {
      phaseId: 'implementation',
      lane: merge,
      attempt: 1,
      turn: 1,
      step: 'tool',
      index: 0,
      toolCallId: 'c/1',
    },
    'implementation/merge-2/a1/t1/tool/0-c/1',
  ],
  [
    { phaseId: 'implementation', lane: item, attempt: 1, session: 1, step: 'session-start' },
    'implementation/item-auth-tokens/a1/claude-code/s1/start',
  ],
  [
    { phaseId: 'implementation', lane: item, attempt: 1, step: 'gate' },
    'implementation/item-auth-tokens/a1/gate',
  ],
  [
    { phaseId: 'implementation', lane: item, attempt: 2, turn: 3, step: 'checkpoint' },
    'implementation/item-auth-tokens/a2/t3/checkpoint',
  ],
  // A run sharing its workspace through checkpoints (runs on workers): the phase's workspace as it leaves it.
  [{ phaseId: 'review@2', step: 'workspace' }, 'review@2/workspace'],
  // The phase cache's decision for the phase (its key, and the entry it reused or none), replayed on resume.
  [{ phaseId: 'research', step: 'reuse' }, 'research/reuse'],
  [{ phaseId: 'implementation', attempt: 1, turn: 2, step: 'checkpoint' }, 'implementation/a1/t2/checkpoint'],
];

describe('step keys', () => {
  it.each(forms)('builds %j as the text earlier versions wrote, and parses it back', (key, text) => {
    expect(stepKey(key)).toBe(text);
    expect(parseStepKey(text)).toEqual(key);
  });

  it.each(laneForms)('builds the lane key %j as %s, and parses it back', (key, text) => {
    expect(stepKey(key)).toBe(text);
    expect(parseStepKey(text)).toEqual(key);
  });

  it('moves a step the phase would record into a lane, keeping the rest of its key', () => {
    for (const [key, text] of forms) {
      const moved = inLane(text, item);
      expect(parseStepKey(moved)).toEqual({ ...key, lane: item });
      expect(moved.startsWith(`${key.phaseId}/item-auth-tokens/`)).toBe(true);
    }
    expect(() => inLane('implementation/item-auth-tokens/a1/gate', merge)).toThrow(/cannot be moved/);
    expect(() => inLane('not a key', item)).toThrow(/cannot be moved/);
  });

  it('covers every step the engine journals', () => {
    const built = new Set([...forms, ...laneForms].map(([key]) => key.step));
    expect([...built].sort()).toEqual(Object.keys(KIND_OF_STEP).sort());
  });

  it('records each step under a kind the journal reads back', () => {
    for (const kind of Object.values(KIND_OF_STEP)) expect(isStepKind(kind)).toBe(true);
    expect(new Set(Object.values(KIND_OF_STEP))).toEqual(new Set(STEP_KINDS));
    expect(isStepKind('workflow')).toBe(false);
  });

  it.each([
    '',
    'research',
    'research/',
    '/a1/gate',
    'research/a1',
    'research/b1/gate',
    'research/a01/gate',
    'research/a-1/gate',
    'research/a1/verdict',
    'research/a1/t1',
    'research/a1/t1/model/retry-2',
    'research/a1/t1/tool/',
    'research/a1/t1/checkpoint/1',
    'research/a1/tx/model',
    'research/a1/claude-code/s1',
    'research/a1/claude-code/start',
    'research/a1/judge-failed-',
    'implementation/item-a',
    'implementation/item-/a1/gate',
    'implementation/merge-x/a1/gate',
    'implementation/merge-01/merge',
    'implementation/item-a/merge',
    'implementation/item-a/fan-out',
    'implementation/item-a/workspace',
    'implementation/commit',
    'implementation/merge',
    'implementation/item-a/item-b/a1/gate',
  ])('names no step for %j', (text) => {
    expect(parseStepKey(text)).toBeUndefined();
  });

  it('parses every key of the journal fixtures of earlier versions back to the same text', () => {
    for (const version of ['v1', 'v2']) {
      const expected = readFileSync(
        new URL(`../fixtures/journal/${version}/expected.json`, import.meta.url),
        'utf8',
      );
      const keys = [...expected.matchAll(/"key":\s*"([^"]+)"/g)].map((match) => match[1]!);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        const parsed = parseStepKey(key);
        expect(parsed, key).toBeDefined();
        expect(stepKey(parsed!)).toBe(key);
      }
    }
  });
});
