/**
 * `grep`: a regex search through ripgrep (honours .gitignore, skips binary files), one `path:line: text` per
 * matching line, sorted by path, cut at the output limit with advice on narrowing the search.
 */
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { defineTool, type ToolCall, type ToolSettings } from './define-tool.js';
import { LineBudget, shortenLine } from './output-limit.js';
import { quote, type WorkspacePath } from './path-guard.js';
import { runRipgrep, runRipgrepIn, WALK_ARGS } from './ripgrep.js';
import { ToolRefusal } from './tool-refusal.js';
import { notFound, openCheckedFile } from './verified-open.js';

const MAX_LINE_CHARS = 300;

const grepInput = z.object({
  pattern: z.string().min(1).describe('Regular expression (Rust regex syntax, like PCRE without lookaround)'),
  path: z.string().default('.').describe('File or directory to search, relative to the workspace root'),
  glob: z
    .string()
    .optional()
    .describe('Only search files matching this glob (from the path searched), e.g. "*.ts" or "src/**/*.py"'),
  ignore_case: z.boolean().default(false).describe('Match without regard to case'),
  literal: z.boolean().default(false).describe('Treat the pattern as a plain string, not a regex'),
});

interface RipgrepText {
  text?: string;
  bytes?: string;
}

interface RipgrepMatch {
  type: string;
  data: { path: RipgrepText; lines: RipgrepText; line_number: number | null };
}

export function createGrepTool(settings: ToolSettings) {
  return defineTool(
    {
      name: 'grep',
      description:
        'Search file contents with a regular expression. Returns "path:line: text" for each matching line, ' +
        'sorted by path. Files ignored by .gitignore and binary files are skipped.',
      permission: 'read',
      input: grepInput,
      run: async (input, call) => {
        const path = await call.resolvePath(input.path, 'read');
        if (path.kind === 'missing') throw notFound(path);
        const args = [
          '--json',
          '--sort',
          'path',
          ...(input.glob === undefined ? [] : ['--glob', input.glob]),
          ...WALK_ARGS,
          ...(input.ignore_case ? ['--ignore-case'] : []),
          ...(input.literal ? ['--fixed-strings'] : []),
          '--regexp',
          input.pattern,
        ];
        const budget = new LineBudget(call.settings.outputLimitBytes - 300);
        const singleLink = singleLinkCheck(call.root);
        const skipped = new Set<string>();
        const collect = (display: (path: string) => string) => (line: string) => {
          const match = parseMatch(line, display, (text, path) => {
            const redactor = call.settings.redactor;
            // A file the user allowed (a fixture) is shown as it is, as read shows it.
            if (redactor?.allowsPath?.(path) === true) redactor.allowFrom?.(text);
            return redactor?.redact(text) ?? text;
          });
          if (match === undefined) return true;
          if (singleLink(match.path)) return budget.add(match.line);
          skipped.add(match.path);
          return true;
        };
        const outcome = await (path.kind === 'directory'
          ? searchDirectory(path, args, call, collect)
          : searchFile(path, args, call, collect));
        if (outcome.exitCode === 2 && budget.lines.length === 0) {
          throw new ToolRefusal(`grep ${quote(input.pattern)} failed: ${outcome.stderr || 'ripgrep error'}`);
        }
        const notes: string[] = [];
        if (skipped.size > 0) notes.push(hardLinkNote(skipped));
        if (budget.lines.length === 0) return [`no matches for ${quote(input.pattern)}`, ...notes].join('\n');
        if (budget.full) {
          notes.push(
            `[output limit reached after ${budget.lines.length} matching lines; narrow the search with path or glob]`,
          );
        }
        if (outcome.exitCode === 2)
          notes.push(`[some files could not be searched: ${outcome.stderr.split('\n')[0]}]`);
        return [...budget.lines, ...notes].join('\n');
      },
    },
    settings,
  );
}

type Collector = (display: (path: string) => string) => (line: string) => boolean;

/** Searches inside the opened directory; ripgrep's paths are relative to it. */
function searchDirectory(path: WorkspacePath, args: string[], call: ToolCall, collect: Collector) {
  const prefix = path.relative === '.' ? '' : `${path.relative}/`;
  return runRipgrepIn(path, args, {
    abortSignal: call.abortSignal,
    onLine: collect((found) => prefix + found),
  });
}

/** Searches the opened file, given to ripgrep as its stdin. */
async function searchFile(path: WorkspacePath, args: string[], call: ToolCall, collect: Collector) {
  const handle = await openCheckedFile(path);
  try {
    return await runRipgrep([...args, '-'], {
      directory: { path: call.root },
      input: handle,
      abortSignal: call.abortSignal,
      onLine: collect(() => path.relative),
    });
  } finally {
    await handle.close();
  }
}

/** `path:line: text` for a match event of ripgrep's JSON output; undefined for the other events. */
function parseMatch(
  line: string,
  display: (path: string) => string,
  redact: (text: string, path: string) => string,
): { path: string; line: string } | undefined {
  if (!line.startsWith('{"type":"match"')) return undefined;
  const event = JSON.parse(line) as RipgrepMatch;
  const text = decode(event.data.lines).replace(/\r?\n$/, '');
  const path = display(decode(event.data.path));
  // Redacted before it is shortened: a secret cut in half would no longer be recognised.
  return {
    path,
    line: `${path}:${event.data.line_number ?? '?'}: ${shortenLine(redact(text, path), MAX_LINE_CHARS)}`,
  };
}

/**
 * Whether a matching file (relative to the root) is a regular file with one link. One with several may be an
 * outside file under another name (see `hardLinked` in verified-open.ts): its lines are never shown.
 */
function singleLinkCheck(root: string): (path: string) => boolean {
  const known = new Map<string, boolean>();
  return (path) => {
    let single = known.get(path);
    if (single === undefined) {
      const stats = lstatOrUndefined(join(root, path));
      single = stats?.isFile() === true && stats.nlink === 1;
      known.set(path, single);
    }
    return single;
  };
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

function hardLinkNote(skipped: Set<string>): string {
  const names = [...skipped].slice(0, 5).join(', ');
  return `[matches in ${skipped.size} file${skipped.size === 1 ? '' : 's'} with several hard links were left out (another name may be outside the workspace): ${names}${skipped.size > 5 ? ', …' : ''}]`;
}

function decode(value: RipgrepText): string {
  return value.text ?? Buffer.from(value.bytes ?? '', 'base64').toString('utf8');
}
