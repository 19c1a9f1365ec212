import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempWorkspace {
  path: string;
  remove(): Promise<void>;
}

export async function tempWorkspace(): Promise<TempWorkspace> {
  const path = await mkdtemp(join(tmpdir(), 'phasewise-journal-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
