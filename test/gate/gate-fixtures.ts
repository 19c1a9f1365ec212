/** Real temporary workspaces and plain inputs for the gate tests; removed after each test file. */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';
import type { GateCheckConfig } from '../../src/config/types.js';
import type { GateInput, GateServices } from '../../src/gate/gate.js';

const created: string[] = [];
afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory holding `files` (paths relative to it); its real path. */
export function tempWorkspace(files: Record<string, string> = {}): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'phasewise-gate-')));
  created.push(dir);
  writeFiles(dir, files);
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
}

export function gateInput(overrides: Partial<GateInput> = {}): GateInput {
  return {
    output: '## Handoff\ndone',
    deliverables: ['Handoff'],
    costUsd: 0.01,
    costLimitUsd: 0.05,
    workspace: overrides.workspace ?? tempWorkspace(),
    changedPaths: [],
    ...overrides,
  };
}

export function gateServices(overrides: Partial<GateServices> = {}): GateServices {
  return { abortSignal: new AbortController().signal, ...overrides };
}

/** A check with the common fields filled in. */
export function check<K extends GateCheckConfig['kind']>(
  kind: K,
  options: Omit<Extract<GateCheckConfig, { kind: K }>, 'kind' | 'name' | 'weight' | 'required'> & {
    name?: string;
    weight?: number;
    required?: boolean;
  },
): GateCheckConfig {
  return { name: kind, weight: 1, required: false, ...options, kind } as GateCheckConfig;
}
