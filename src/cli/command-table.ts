/**
 * Every command of `phasewise`, in the order `--help` lists them. A command is data (`CommandSpec`): adding one
 * is an entry here and a module under `commands/`, imported when the command runs.
 */

import { commandModule } from './command-module.js';
import type { CommandSpec } from './command-spec.js';
import { dbMigrate } from './db-command-specs.js';
import { compareRun, evalTasks, policySimulate } from './evaluation-command-specs.js';
import { githubAction, pullRequest } from './github-command-specs.js';
import { parseLatency, parseReuse, parseWhole } from './option-parsers.js';
import { submit, worker } from './pool-command-specs.js';
import { reviewCommand, runId } from './review-command-specs.js';
import { agentsWorkspace, configFound, shared } from './shared-options.js';

/** `run` and `resume`: which phases may take a result from the phase cache (docs/reuse.md). */
const reuseOptions = [
  {
    flags: '--reuse <which>',
    description:
      'phases that may reuse the result of an earlier run with the same inputs: read-only (default), all (workspace-changing ones too, their changes applied again and verified) or off',
    parse: parseReuse,
  },
  { flags: '--no-reuse', description: 'call the model for every phase (--reuse off)' },
];

const task = ['[task]', 'the task: text, or a file holding it (default: `task:` in the config)'] as const;

export const commandTable: readonly CommandSpec[] = [
  {
    name: 'init',
    description: 'write a commented phasewise.yaml (the built-in five-phase workflow)',
    options: [
      { flags: '-o, --output <file>', description: 'where to write it', defaultValue: 'phasewise.yaml' },
      { flags: '--force', description: 'overwrite an existing file' },
      shared('template', 'write this template out instead (see `phasewise templates`)'),
    ],
    examples: ['phasewise init', 'phasewise init -o orchestrator.yaml', 'phasewise init --template bugfix'],
    run: async (_args, options) => (await commandModule(import('./commands/init.js'))).initCommand(options),
  },
  {
    name: 'templates',
    description: 'list the workflow templates, built-in and your own (.phasewise/templates/)',
    options: [shared('json', 'one JSON object per template')],
    examples: [
      'phasewise templates',
      'phasewise init --template bugfix',
      'phasewise run --template security "Audit the login"',
    ],
    run: async (_args, options) =>
      (await commandModule(import('./commands/templates.js'))).templatesCommand(options),
  },
  {
    name: 'validate',
    description: 'check the configuration and print the resolved plan (phases, models, limits, gates)',
    options: [
      shared('config', configFound),
      shared('template'),
      shared('workspace', agentsWorkspace),
      shared('json', 'print the resolved workflow as JSON'),
    ],
    examples: ['phasewise validate', 'phasewise validate -c ci/phasewise.yaml --json'],
    run: async (_args, options) =>
      (await commandModule(import('./commands/validate.js'))).validateCommand(options),
  },
  {
    name: 'estimate',
    description: 'dry run: prompts assembled, a cost range per phase and for the run; no model is called',
    arguments: [task],
    options: [
      shared('config'),
      shared('template'),
      shared('workspace', agentsWorkspace),
      shared('json', 'print the estimate as JSON'),
    ],
    examples: ['phasewise estimate "Move session auth to JWT"', 'phasewise estimate TASK.md --json'],
    run: async ([text], options) =>
      (await commandModule(import('./commands/estimate.js'))).estimateCommand(text, options),
  },
  {
    name: 'run',
    description: 'run the workflow on a task',
    arguments: [task],
    options: [
      shared('config'),
      shared('template'),
      shared('workspace', agentsWorkspace),
      shared('budget'),
      shared('json'),
      shared('databaseUrl'),
      shared(
        'yes',
        'start even when a fan-out takes the preview over the budget (needed when not on a terminal)',
      ),
      ...reuseOptions,
      {
        flags: '--worktree',
        description:
          'work in a git worktree from the current commit, committed on the branch phasewise/<run-id> (your tree is not touched)',
      },
    ],
    examples: [
      'phasewise run "Move session auth to JWT"',
      'phasewise run "Add a /health endpoint" --worktree && phasewise pr <run-id>',
      'phasewise run TASK.md --budget 2 --json > events.ndjson',
      'phasewise run --template bugfix "Logging in twice logs the first session out"',
      "phasewise run TASK.md --yes    # a fan-out over the task's items may cost more than the budget",
    ],
    run: async ([text], options) =>
      (await commandModule(import('./commands/run.js'))).runCommand(text, options),
  },
  {
    name: 'resume',
    description: 'continue an interrupted, crashed, halted or failed run from its journal',
    arguments: [runId],
    options: [
      shared('config', 'configuration file (default: the one the run started with)'),
      shared('workspace'),
      { flags: '--force', description: 'resume even though the configuration changed since the run started' },
      ...reuseOptions,
      {
        flags: '--break-lock',
        description: 'take the run from a holder that cannot be checked (another host); only if it is gone',
      },
      shared('budget'),
      shared('json'),
      shared('databaseUrl'),
    ],
    examples: [
      'phasewise resume 20261129-101500-a1b2',
      'phasewise resume 20261129-101500-a1b2 --force            # after editing phasewise.yaml',
      'phasewise resume 20261129-101500-a1b2 --budget 3 --force # more money for a run that ran out',
    ],
    run: async ([id], options) =>
      (await commandModule(import('./commands/run.js'))).resumeCommand(id!, options),
  },
  {
    name: 'status',
    description: 'show where a run stands (default: the latest run)',
    arguments: [['[run]', 'run id']],
    options: [
      shared('config'),
      shared('workspace'),
      shared('databaseUrl'),
      shared('json', 'print the summary as JSON'),
    ],
    examples: ['phasewise status', 'phasewise status 20261129-101500-a1b2 --json'],
    run: async ([id], options) =>
      (await commandModule(import('./commands/status.js'))).statusCommand(id, options),
  },
  {
    name: 'runs',
    description: 'list the runs in this workspace, newest first, with the disk their worktrees take',
    options: [
      shared('config'),
      shared('workspace'),
      shared('databaseUrl'),
      shared('json', 'one JSON object per run'),
    ],
    examples: ['phasewise runs', 'phasewise runs --json | jq .status'],
    run: async (_args, options) => (await commandModule(import('./commands/status.js'))).runsCommand(options),
  },
  reviewCommand('approve'),
  reviewCommand('reject'),
  reviewCommand('abort'),
  {
    name: 'clean',
    description:
      'remove the git worktrees and phasewise-lanes/<run>/… branches left by runs that are over (succeeded, aborted, no-go, or unknown); a running, halted or resumable run keeps its own',
    options: [
      { flags: '--dry-run', description: 'list what would be removed, and the disk space, removing nothing' },
      {
        flags: '--include-resumable',
        description:
          'also end resumable runs (interrupted, failed, out of budget or time) as aborted and remove theirs',
      },
      shared('config'),
      shared('workspace'),
      shared('databaseUrl'),
      shared('json', 'print what was removed and kept as JSON'),
    ],
    examples: [
      'phasewise clean --dry-run',
      'phasewise clean',
      'phasewise clean --include-resumable --dry-run',
    ],
    run: async (_args, options) => (await commandModule(import('./commands/clean.js'))).cleanCommand(options),
  },
  pullRequest,
  githubAction,
  {
    name: 'report',
    description: 'what a run cost, where the money went, whether quality held (default: the latest run)',
    arguments: [['[run]', 'run id']],
    options: [
      {
        flags: '--format <format>',
        description: 'terminal, md, json or html (default: from -o, else terminal)',
      },
      {
        flags: '-o, --output <file>',
        description: 'write the report to a regular file (replaced atomically; its folder must exist)',
      },
      shared('workspace'),
      shared('databaseUrl'),
    ],
    examples: ['phasewise report', 'phasewise report 20261129-101500-a1b2 --format md -o run.md'],
    run: async ([id], options) =>
      (await commandModule(import('./commands/report.js'))).reportCommand(id, options),
  },
  {
    name: 'mcp',
    description:
      'serve phasewise over MCP on stdio: tools to estimate, start, watch, report on and answer runs here (docs/mcp.md)',
    options: [],
    examples: ['claude mcp add phasewise -- npx phasewise mcp'],
    run: async () => (await commandModule(import('./commands/mcp.js'))).mcpCommand(),
  },
  {
    name: 'serve',
    description:
      'a live web dashboard of the runs, with approve, reject and abort for a halted run (127.0.0.1 by default; elsewhere a token is required)',
    options: [
      { flags: '--host <address>', description: 'the address to listen on', defaultValue: '127.0.0.1' },
      {
        flags: '--port <n>',
        description: 'the port to listen on (default 7420; 0: any free one)',
        parse: (value: string) => parseWhole('--port', value, 0, 65_535),
      },
      {
        flags: '--token-env <name>',
        description:
          'read the token from this variable instead of generating one (required on every request)',
      },
      shared('config'),
      shared('workspace'),
      shared('databaseUrl'),
    ],
    examples: [
      'phasewise serve',
      'phasewise serve --port 8080 --workspace ../service',
      'phasewise serve --host 0.0.0.0 --token-env DASHBOARD_TOKEN',
    ],
    run: async (_args, options) => (await commandModule(import('./commands/serve.js'))).serveCommand(options),
  },
  policySimulate,
  dbMigrate,
  submit,
  worker,
  evalTasks,
  compareRun,
  {
    name: 'demo',
    description:
      'run the bundled example end to end against a local fake LLM server (no API key, no real LLM called)',
    options: [
      {
        flags: '--dir <dir>',
        description: 'where to put the example workspace (default: a new temporary directory)',
      },
      shared('json'),
      {
        flags: '--latency <ms>',
        description: "the fake server's time to first token per answer (default 300)",
        parse: parseLatency,
      },
    ],
    examples: ['phasewise demo', 'phasewise demo --dir ./demo-run'],
    run: async (_args, options) =>
      (await commandModule(import('./commands/demo.js'))).demoCommand({
        dir: options.dir,
        json: options.json,
        latencyMs: options.latency,
      }),
  },
];
