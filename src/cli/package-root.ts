/**
 * The folder phasewise is installed in (the one holding its package.json), found from this module's own URL by
 * walking up: the same answer from src/ under tsx, from dist/ as tsc writes it, and from the bundled CLI, whose
 * chunks sit at another depth than the module that asks.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let found: string | undefined;

export function packageRoot(): string {
  if (found !== undefined) return found;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && isPhasewise(manifest)) {
      found = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error(`no package.json of phasewise above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

function isPhasewise(manifest: string): boolean {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'phasewise';
  } catch {
    return false;
  }
}
