/**
 * A journal step key names a step and is never hidden (the summary once printed `step [REDACTED]`); a secret
 * next to it, or inside what looks like one, still is.
 */
import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../src/util/redact.js';

const redactor = createRedactor({ env: {} });
const secret = 'Tz6Hp3Jw5Fy0Gd7Sa2Ue4Io9Wk3vQ9pLx7Rt2Bn8';

describe('step keys', () => {
  it.each([
    'implementation/a1/t3/model',
    'implementation/a1/t3/model/failed-3f2a9c1e-4b7d-4e8a-9f10-2c3d4e5f6a7b',
    'verification/a2/t12/tool/0-toolu_01AbCdEfGhIjKlMnOpQrStUv',
    'implementation/a1/t3/tool/3-call_Xy7Zq9Lk2Mn4Pq8Rs1Tv5Wx',
    'research-deep/a12/judge-failed-0f2a9c1e-4b7d-4e8a-9f10-2c3d4e5f6a7b',
  ])('%s stays readable', (key) => {
    const text = `step ${key} of run r-1 is already recorded`;
    expect(redactor.redact(text)).toBe(text);
  });

  it('while a secret beside or inside one is still hidden', () => {
    expect(redactor.redact(`step research/a1/t2/model: ${secret}`)).toBe(
      'step research/a1/t2/model: [REDACTED]',
    );
    expect(redactor.redact(`step research/a1/t2/${secret}`)).not.toContain(secret);
    expect(redactor.redact(`step research/a1/t2/tool/0-${secret}`)).not.toContain(secret);
  });
});
