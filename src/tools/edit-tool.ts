/**
 * `edit`: replaces an exact string in a file. `old` must occur exactly once unless `replace_all` is set, so an
 * edit never lands somewhere the model did not mean; zero or several matches are explained, not guessed at.
 */
import { z } from 'zod';
import { REDACTED_MARKER_PREFIX } from '../util/redact.js';
import { writeCheckedFile } from './checked-write.js';
import { defineTool, type ToolSettings } from './define-tool.js';
import { quote } from './path-guard.js';
import { refuseNewRedactionMarkers } from './redaction-marker-guard.js';
import { ToolRefusal } from './tool-refusal.js';
import { openCheckedFile } from './verified-open.js';

const editInput = z.object({
  path: z.string().min(1).describe('File to change, relative to the workspace root'),
  old: z.string().min(1).describe('The exact text to replace, including whitespace and indentation'),
  new: z.string().describe('The text to put in its place'),
  replace_all: z.boolean().default(false).describe('Replace every occurrence instead of exactly one'),
});

export function createEditTool(settings: ToolSettings) {
  return defineTool(
    {
      name: 'edit',
      description:
        'Replace an exact string in a file. "old" must match the file exactly (copy it from read output ' +
        'without the line numbers) and occur exactly once, unless replace_all is true.',
      permission: 'write',
      input: editInput,
      run: async (input, call) => {
        if (input.old === input.new) throw new ToolRefusal('"old" and "new" are the same; nothing to change');
        const path = await call.resolvePath(input.path, 'write');
        const handle = await openCheckedFile(path);
        const current = await handle.readFile('utf8').finally(() => handle.close());
        const count = countOccurrences(current, input.old);
        if (count === 0) throw new ToolRefusal(noMatchMessage(path.input, input.old, current));
        if (count > 1 && !input.replace_all) {
          throw new ToolRefusal(
            `"old" occurs ${count} times in ${quote(path.input)}; include more surrounding lines so it is ` +
              `unique, or set replace_all to replace every occurrence`,
          );
        }
        const updated = input.replace_all
          ? current.replaceAll(input.old, () => input.new)
          : current.replace(input.old, () => input.new);
        refuseNewRedactionMarkers(path.input, current, updated);
        await writeCheckedFile(path, updated);
        return `edited ${path.relative}: replaced ${count} occurrence${count === 1 ? '' : 's'}`;
      },
    },
    settings,
  );
}

function countOccurrences(text: string, search: string): number {
  let count = 0;
  for (let index = text.indexOf(search); index !== -1; index = text.indexOf(search, index + search.length))
    count++;
  return count;
}

function noMatchMessage(input: string, old: string, current: string): string {
  const base = `"old" was not found in ${quote(input)}`;
  if (old.includes(REDACTED_MARKER_PREFIX)) {
    return `${base}: it contains a [REDACTED] placeholder, which stands for a secret you were not shown; choose old text without it`;
  }
  if (/^\s*\d+\t/m.test(old))
    return `${base}; remove the line numbers that read adds ("   12\\t") from "old"`;
  const normalize = (text: string) => text.replace(/\s+/g, ' ').trim();
  if (normalize(current).includes(normalize(old))) {
    return `${base} exactly, but it does with different whitespace or indentation; read the file again and copy the text exactly`;
  }
  return `${base}; read the file again to see its current content`;
}
