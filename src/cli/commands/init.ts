/** `phasewise init`: write the built-in workflow, or a template (`--template`), out as a commented phasewise.yaml. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { initTemplate, templateText } from '../../config/index.js';
import { UsageError } from '../../errors/index.js';
import { writeFileAtomic } from '../../util/atomic-write.js';

export function initCommand(options: { force?: boolean; output?: string; template?: string }): number {
  const text =
    options.template === undefined ? initTemplate() : templateText(options.template, process.cwd());
  const path = resolve(process.cwd(), options.output ?? 'phasewise.yaml');
  if (existsSync(path) && options.force !== true) {
    throw new UsageError(`${path} already exists; nothing was written`, {
      hint: 'pass --force to overwrite it',
    });
  }
  writeFileAtomic(path, text);
  process.stdout.write(`wrote ${path}\ncheck it with: phasewise validate\n`);
  return 0;
}
