/**
 * `glob`: the workspace's files matching a glob, through ripgrep's walk (honours .gitignore), sorted by path,
 * cut at the output limit with the number left out.
 */
import { z } from 'zod';
import { defineTool, type ToolSettings } from './define-tool.js';
import { LineBudget } from './output-limit.js';
import { quote } from './path-guard.js';
import { runRipgrepIn, WALK_ARGS } from './ripgrep.js';
import { ToolRefusal } from './tool-refusal.js';
import { notFound } from './verified-open.js';

/** Past this many matches the count is reported as a lower bound. */
const MAX_COUNTED = 100_000;

const globInput = z.object({
  pattern: z
    .string()
    .min(1)
    .describe(
      'Glob such as "**/*.ts", "src/**/test_*.py" or "*.{json,yaml}". A pattern without "/" matches file names ' +
        'at any depth; one with "/" is matched against the path from the workspace root',
    ),
  path: z
    .string()
    .default('.')
    .describe('Directory to search in, relative to the workspace root (default: all)'),
});

export function createGlobTool(settings: ToolSettings) {
  return defineTool(
    {
      name: 'glob',
      description:
        'Find files by glob pattern. Returns matching paths relative to the workspace root, sorted; files ' +
        'ignored by .gitignore are not included.',
      permission: 'read',
      input: globInput,
      run: async (input, call) => {
        const path = await call.resolvePath(input.path, 'read');
        if (path.kind === 'missing') throw notFound(path);
        if (path.kind !== 'directory') {
          throw new ToolRefusal(`glob searches a directory, and ${quote(path.input)} is not one`);
        }
        const budget = new LineBudget(call.settings.outputLimitBytes - 300);
        const prefix = path.relative === '.' ? '' : `${path.relative}/`;
        let count = 0;
        const outcome = await runRipgrepIn(
          path,
          ['--files', '--sort', 'path', '--glob', input.pattern, ...WALK_ARGS],
          {
            abortSignal: call.abortSignal,
            onLine: (line) => {
              count++;
              budget.add(prefix + line);
              return count < MAX_COUNTED;
            },
          },
        );
        if (outcome.exitCode === 2 && count === 0) {
          throw new ToolRefusal(`glob ${quote(input.pattern)} failed: ${outcome.stderr || 'ripgrep error'}`);
        }
        if (count === 0) {
          return `no files match ${quote(input.pattern)}${path.relative === '.' ? '' : ` under ${path.relative}`} (files ignored by .gitignore are not searched)`;
        }
        const total = outcome.stopped ? `more than ${count}` : `${count}`;
        const footer = budget.full
          ? [`[showing ${budget.lines.length} of ${total} files; narrow the pattern or the path]`]
          : [];
        return [...budget.lines, ...footer].join('\n');
      },
    },
    settings,
  );
}
