/**
 * `read`: a text file's lines, numbered, from `offset` for `limit` lines, streamed so a huge file costs only the
 * lines shown. Binary files (NUL bytes in the first 8 KB) are refused. The output says where to continue.
 */
import type { FileHandle } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { defineTool, type ToolSettings } from './define-tool.js';
import { LineBudget, shortenLine } from './output-limit.js';
import { quote, type WorkspacePath } from './path-guard.js';
import { ToolRefusal } from './tool-refusal.js';
import { openCheckedFile } from './verified-open.js';

const DEFAULT_LINES = 2_000;
const MAX_LINES = 20_000;
const MAX_LINE_CHARS = 2_000;
const SNIFF_BYTES = 8_192;
/** Up to this size the whole file is scanned so the output can name its line count. */
const COUNT_ALL_BYTES = 4 * 1024 * 1024;

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
        const handle = await openCheckedFile(path);
        try {
          await refuseBinary(handle, path);
          const redactor = call.settings.redactor;
          // A file the user allowed (a fixture, perhaps written in this run) is shown as it is.
          const allowed = redactor?.allowsPath?.(path.relative) === true;
          const redact = (line: string) => {
            if (allowed) redactor?.allowFrom?.(line);
            return redactor?.redact(line) ?? line;
          };
          return await readLines(handle, {
            ...input,
            maxBytes: call.settings.outputLimitBytes - 300,
            redact,
          });
        } finally {
          await handle.close();
        }
      },
    },
    settings,
  );
}

async function refuseBinary(handle: FileHandle, path: WorkspacePath): Promise<void> {
  const sniff = Buffer.alloc(SNIFF_BYTES);
  const { bytesRead } = await handle.read(sniff, 0, SNIFF_BYTES, 0);
  if (sniff.subarray(0, bytesRead).includes(0)) {
    throw new ToolRefusal(
      `${quote(path.input)} is a binary file (it contains NUL bytes); read shows text files only`,
    );
  }
}

/**
 * `redact` runs on each whole line BEFORE it is shortened: a secret cut in half would no longer match what the
 * redactor knows, and most of it would leak.
 */
async function readLines(
  handle: FileHandle,
  options: { offset: number; limit: number; maxBytes: number; redact: (line: string) => string },
): Promise<string> {
  const { offset, limit, maxBytes, redact } = options;
  const { size } = await handle.stat();
  if (size === 0) return '(empty file)';
  const budget = new LineBudget(maxBytes);
  const last = offset + limit - 1;
  let lineNumber = 0;
  let lastShown = 0;
  let more = false;
  const stream = handle.createReadStream({ start: 0, encoding: 'utf8', autoClose: false });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      lineNumber++;
      if (lineNumber < offset) continue;
      if (lineNumber > last || budget.full) {
        more = true;
        if (size > COUNT_ALL_BYTES) break;
        continue;
      }
      if (budget.add(`${String(lineNumber).padStart(6)}\t${shortenLine(redact(line), MAX_LINE_CHARS)}`))
        lastShown = lineNumber;
      else more = true;
    }
  } finally {
    lines.close();
    stream.destroy();
  }
  const counted = more && size > COUNT_ALL_BYTES ? 'a longer file' : `${lineNumber} lines`;
  if (lastShown === 0) return `the file has ${lineNumber} lines; offset ${offset} is past its end`;
  if (!more) return budget.lines.join('\n');
  const why = budget.full ? 'output limit reached' : 'line limit reached';
  return `${budget.lines.join('\n')}\n[${why}: showed lines ${offset}–${lastShown} of ${counted}; continue with offset=${lastShown + 1}]`;
}
