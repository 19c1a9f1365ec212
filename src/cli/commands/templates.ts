/** `phasewise templates`: the workflow templates, built-in and the user's own, one line each. */
import { listTemplates } from '../../config/index.js';
import { table } from '../format.js';

export function templatesCommand(options: { json?: boolean }): number {
  const entries = listTemplates(process.cwd());
  if (options.json === true) {
    process.stdout.write(entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
    return 0;
  }
  const rows = entries.map((entry) => [
    entry.name,
    entry.replacesBuiltin === true ? `${entry.source} (replaces the built-in)` : entry.source,
    entry.summary,
  ]);
  process.stdout.write(
    `${table([['template', 'from', 'what it does'], ...rows])}\n` +
      'use one with: phasewise run --template NAME "<task>" · write it out: phasewise init --template NAME\n' +
      'your own go in .phasewise/templates/NAME.yaml (docs/templates.md)\n',
  );
  return 0;
}
