/**
 * `read`: a text file's lines, numbered, from `offset` for `limit` lines (`read-lines.ts`: read whole up to a
 * megabyte, streamed beyond, so a huge file costs only the lines shown). Binary files (NUL bytes in the first
 * 8 KB) are refused. The output says where to continue.
 */
import { closeSync } from 'node:fs';
import { z } from 'zod';
import { defineTool, type ToolSettings } from './define-tool.js';
import { quote, type WorkspacePath } from './path-guard.js';
import { readNumberedLines } from './read-lines.js';
import { ToolRefusal } from './tool-refusal.js';
import { openCheckedFileSync } from './verified-open.js';

const DEFAULT_LINES = 2_000;
const MAX_LINES = 20_000;

const readInput = z.object({
  path: z.string().min(1).describe('File to read, relative to the workspace root'),
  offset: z.number().int().min(1).default(1).describe('First line to show, 1-based (default 1)'),
  limit: z
    .number()
    .int()
    .min(1)
    .max(MAX_LINES)
    .default(DEFAULT_LINES)
    .describe(`How many lines to show (default ${DEFAULT_LINES})`),
});

export function createReadTool(settings: ToolSettings) {
  return defineTool(
    {
      name: 'read',
      description:
        'Read a text file of the workspace. Lines are numbered ("   12\\tcode"); use offset and limit for a ' +
        'range of a long file. Binary files are refused.',
      permission: 'read',
      input: readInput,
      run: async (input, call) => {
        const path = await call.resolvePath(input.path, 'read');
        const file = openCheckedFileSync(path);
        try {
          const redactor = call.settings.redactor;
          // A file the user allowed (a fixture, perhaps written in this run) is shown as it is.
          const allowed = redactor?.allowsPath?.(path.relative) === true;
          const redact = (line: string) => {
            if (allowed) redactor?.allowFrom?.(line);
            return redactor?.redact(line) ?? line;
          };
          return await readNumberedLines(file, {
            ...input,
            maxBytes: call.settings.outputLimitBytes - 300,
            redact,
            refuseBinary: (head) => refuseBinary(head, path),
          });
        } finally {
          closeSync(file.fd);
        }
      },
    },
    settings,
  );
}

function refuseBinary(head: Buffer, path: WorkspacePath): void {
  if (head.includes(0)) {
    throw new ToolRefusal(
      `${quote(path.input)} is a binary file (it contains NUL bytes); read shows text files only`,
    );
  }
}
