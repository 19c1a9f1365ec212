import path from 'node:path';
import { isFile } from './file-reference.js';
import { CONFIG_FILE_NAMES } from './vocabulary.js';

/** The first of phasewise.yaml, phasewise.yml, orchestrator.yaml, orchestrator.yml that exists in `dir`. */
export function findConfigFile(dir: string): string | undefined {
  return CONFIG_FILE_NAMES.map((name) => path.resolve(dir, name)).find(isFile);
}
