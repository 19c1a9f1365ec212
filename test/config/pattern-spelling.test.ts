import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { loadWorkflow } from '../../src/config/index.js';
import { tempDir } from './config-files.js';

const fixture = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../fixtures/config/pattern-spelling.yaml',
);

it('loads the configuration blocks exactly as the pattern document writes them', () => {
  const dir = tempDir();
  copyFileSync(fixture, path.join(dir, 'orchestrator.yaml'));
  const workflow = loadWorkflow({ cwd: dir });
  const minutes = 60_000;
  expect(
    workflow.phases.map((phase) => [
      phase.id,
      phase.agent,
      phase.model,
      phase.timeoutMs / minutes,
      phase.gate.threshold,
      phase.costLimitUsd,
      phase.dependsOn,
    ]),
  ).toEqual([
    ['phase1_research', 'research', { kind: 'tier', tier: 'haiku' }, 10, 0.8, 0.05, []],
    ['phase2_planning', 'planning', { kind: 'tier', tier: 'opus' }, 20, 0.95, 0.3, ['phase1_research']],
    [
      'phase3_implementation',
      'implementation',
      { kind: 'tier', tier: 'sonnet' },
      45,
      0.88,
      0.2,
      ['phase2_planning'],
    ],
    ['phase4_review', 'review', { kind: 'tier', tier: 'opus' }, 30, 0.92, 0.25, ['phase3_implementation']],
    [
      'phase5_verification',
      'verification',
      { kind: 'tier', tier: 'sonnet' },
      25,
      0.9,
      0.18,
      ['phase4_review'],
    ],
  ]);
  expect(workflow.sourceFile).toBe(path.join(dir, 'orchestrator.yaml'));
});
