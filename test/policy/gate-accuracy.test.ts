/** gate-accuracy.json as `phasewise eval` writes it (docs/policy.md), read back and checked. */
import { describe, expect, it } from 'vitest';
import { DataFileError } from '../../src/errors/index.js';
import { gateAccuracyFigures, parseGateAccuracy } from '../../src/policy/index.js';

const file = {
  version: 1,
  source: ['phasewise eval tasks/ at 2026-12-05T07:00:00Z'],
  extra: 'ignored',
  overall: gateAccuracyFigures({ hiddenFailed: 10, falsePasses: 1, hiddenPassed: 20, falseFails: 3 }),
  roles: {
    implementation: gateAccuracyFigures({ hiddenFailed: 0, falsePasses: 0, hiddenPassed: 4, falseFails: 1 }),
  },
  check_kinds: {
    command: gateAccuracyFigures({ hiddenFailed: 2, falsePasses: 0, hiddenPassed: 0, falseFails: 0 }),
  },
};

describe('gate accuracy', () => {
  it('derives the rates from the counts: conditional on the hidden check, null when nothing to condition on', () => {
    // 1 false pass of 10 hidden failures; 3 false fails of 20 hidden passes
    expect(file.overall).toEqual({
      false_pass_rate: 0.1,
      false_fail_rate: 0.15,
      hidden_failed: 10,
      false_passes: 1,
      hidden_passed: 20,
      false_fails: 3,
    });
    expect(file.roles.implementation!.false_pass_rate).toBeNull();
    expect(file.check_kinds.command!.false_fail_rate).toBeNull();
  });

  it('reads what the writer wrote, ignoring extra fields', () => {
    const parsed = parseGateAccuracy(JSON.stringify(file), 'gate-accuracy.json');
    expect(parsed.overall).toEqual(file.overall);
    expect(parsed.roles.implementation!.false_fail_rate).toBe(0.25);
    expect('extra' in parsed).toBe(false);
  });

  it('refuses a wrong version, a rate above 1 and a fractional count, naming each path', () => {
    const bad = structuredClone(file) as Record<string, unknown> & typeof file;
    bad.version = 2;
    bad.overall.false_pass_rate = 1.5;
    bad.roles.implementation!.hidden_passed = 2.5;
    try {
      parseGateAccuracy(JSON.stringify(bad), 'out/gate-accuracy.json');
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(DataFileError);
      expect((error as DataFileError).issues).toEqual([
        { path: 'version', message: 'must be 1, got 2' },
        { path: 'overall.false_pass_rate', message: 'must be a rate between 0 and 1, got 1.5' },
        { path: 'roles.implementation.hidden_passed', message: 'must be a whole number ≥ 0, got 2.5' },
      ]);
    }
  });
});
