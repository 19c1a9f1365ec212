import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { findConfigFile } from '../../src/config/index.js';
import { tempDir } from './config-files.js';

it('prefers phasewise.yaml, then phasewise.yml, orchestrator.yaml, orchestrator.yml', () => {
  const dir = tempDir();
  expect(findConfigFile(dir)).toBeUndefined();
  const order = ['orchestrator.yml', 'orchestrator.yaml', 'phasewise.yml', 'phasewise.yaml'];
  for (const name of order) {
    writeFileSync(path.join(dir, name), 'version: 1\n');
    expect(findConfigFile(dir)).toBe(path.join(dir, name));
  }
});
