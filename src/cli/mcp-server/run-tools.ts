/**
 * The tools `phasewise mcp` serves, each one of phasewise's commands run as a child of the same CLI
 * (`cli-process.ts`): estimate, start (in the background, giving the run id), watch (status and the events since
 * a cursor), report, and answer a halted run (approve, reject with feedback, abort). A command that fails becomes
 * a tool error carrying what it printed on stderr (already redacted by the command).
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { type CliRunner, readEvents, readStderr, tail } from './cli-process.js';

const MAX_EVENTS_PER_WATCH = 200;
const START_WAIT_MS = 60_000;

type ToolAnswer = { content: Array<{ type: 'text'; text: string }>; isError?: boolean };

const answer = (value: unknown): ToolAnswer => ({
  content: [{ type: 'text', text: typeof value === 'string' ? value : JSON.stringify(value, null, 2) }],
});
const failure = (text: string): ToolAnswer => ({ content: [{ type: 'text', text }], isError: true });

const runIdField = z
  .string()
  .regex(/^[A-Za-z0-9._-]+$/, 'a run id as `start` returned it, such as 20261129-101500-a1b2')
  .describe('the run id');
const configField = z
  .string()
  .min(1)
  .optional()
  .describe('configuration file (default: phasewise.yaml here)');

export interface RunToolsOptions {
  cli: CliRunner;
  /** The workspace the server was started in: events files go under its `.phasewise/mcp/`. */
  workspace: string;
  /** How often a starting command's events file is read; default 100 ms. */
  pollMs?: number;
}

export function registerRunTools(server: McpServer, options: RunToolsOptions): void {
  const { cli } = options;
  const pollMs = options.pollMs ?? 100;
  /** The events files of each run this server started or answered, oldest first. */
  const eventFiles = new Map<string, string[]>();
  const newEventsFile = (what: string) =>
    join(
      options.workspace,
      '.phasewise',
      'mcp',
      `${what}-${Date.now()}-${randomBytes(3).toString('hex')}.ndjson`,
    );
  const configArgs = (config: string | undefined) => (config === undefined ? [] : ['-c', config]);

  /** Starts a command in the background and waits for its first event naming the run (or its early end). */
  const startInBackground = async (args: string[], what: string) => {
    const file = newEventsFile(what);
    const started = cli.start([...args, '--json'], file);
    let exitCode: number | null | undefined;
    void started.exited.then((code) => {
      exitCode = code;
    });
    const deadline = Date.now() + START_WAIT_MS;
    while (Date.now() < deadline) {
      const first = readEvents(file).find((event) => typeof event.runId === 'string');
      if (first !== undefined) return { file, runId: first.runId as string, exitCode };
      if (exitCode !== undefined) break;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
    const stderr = tail(readStderr(file));
    throw new Error(
      exitCode === undefined
        ? `phasewise ${args[0]} did not start a run within ${START_WAIT_MS / 1000}s`
        : `phasewise ${args[0]} ended (exit ${exitCode}) before starting a run${stderr === '' ? '' : `:\n${stderr}`}`,
    );
  };
  const remember = (runId: string, file: string) => {
    eventFiles.set(runId, [...(eventFiles.get(runId) ?? []), file]);
  };
  const guarded =
    <Input>(work: (input: Input) => Promise<ToolAnswer>) =>
    async (input: Input): Promise<ToolAnswer> => {
      try {
        return await work(input);
      } catch (error) {
        return failure(error instanceof Error ? error.message : String(error));
      }
    };

  server.registerTool(
    'estimate',
    {
      description:
        'Dry run of phasewise on a task: the phases, their models and a cost range per phase and for the run. No model is called and nothing is spent.',
      inputSchema: { task: z.string().min(1).describe('the task, as text'), config: configField },
    },
    guarded(async ({ task, config }) => {
      const result = await cli.run(['estimate', task, '--json', ...configArgs(config)]);
      if (result.code !== 0) return failure(`estimate failed (exit ${result.code}):\n${tail(result.stderr)}`);
      return answer(result.stdout.trim());
    }),
  );

  server.registerTool(
    'start',
    {
      description:
        "Starts a phasewise run on a task in the background (gated phases, budgeted) and returns its run id at once. Follow it with `watch`; read the result with `report`. A fan-out over the budget's preview is accepted.",
      inputSchema: {
        task: z.string().min(1).describe('the task, as text'),
        config: configField,
        budget: z
          .number()
          .positive()
          .optional()
          .describe('the run budget in USD (default: the configuration)'),
      },
    },
    guarded(async ({ task, config, budget }) => {
      const args = ['run', task, '--yes', ...configArgs(config)];
      if (budget !== undefined) args.push('--budget', String(budget));
      const { file, runId } = await startInBackground(args, 'run');
      remember(runId, file);
      return answer({
        runId,
        status: 'running',
        next: `watch { runId: "${runId}" } until it is no longer running`,
      });
    }),
  );

  server.registerTool(
    'watch',
    {
      description:
        'Where a run stands (status, phases, cost) and the events it emitted since `cursor` (events are those of runs this server started or answered). Pass the returned `nextCursor` to the next call.',
      inputSchema: {
        runId: runIdField,
        cursor: z.int().min(0).optional().describe('how many events were already read (default 0)'),
      },
    },
    guarded(async ({ runId, cursor }) => {
      const result = await cli.run(['status', runId, '--json']);
      if (result.code !== 0)
        return failure(`no status for run ${runId} (exit ${result.code}):\n${tail(result.stderr)}`);
      const events = (eventFiles.get(runId) ?? []).flatMap((file) => readEvents(file));
      const from = Math.min(cursor ?? 0, events.length);
      const page = events.slice(from, from + MAX_EVENTS_PER_WATCH);
      return answer({ status: JSON.parse(result.stdout), events: page, nextCursor: from + page.length });
    }),
  );

  server.registerTool(
    'report',
    {
      description:
        "A run's report: per phase the model, attempts, cost against its limit, gate score, and totals.",
      inputSchema: {
        runId: runIdField,
        format: z.enum(['md', 'json']).optional().describe('Markdown (default) or JSON'),
      },
    },
    guarded(async ({ runId, format }) => {
      const result = await cli.run(['report', runId, '--format', format ?? 'md']);
      if (result.code !== 0)
        return failure(`no report for run ${runId} (exit ${result.code}):\n${tail(result.stderr)}`);
      return answer(result.stdout.trim());
    }),
  );

  server.registerTool(
    'answer',
    {
      description:
        'Answers a run halted for review: approve (accept the phase output), reject (another attempt with your feedback) or abort (end the run). The run then goes on in the background; follow it with `watch`.',
      inputSchema: {
        runId: runIdField,
        action: z.enum(['approve', 'reject', 'abort']),
        feedback: z
          .string()
          .min(1)
          .optional()
          .describe('what the next attempt must change (reject only, required)'),
        phase: z.string().min(1).optional().describe('the halted phase, when several wait'),
      },
    },
    guarded(async ({ runId, action, feedback, phase }) => {
      if (action === 'reject' && feedback === undefined)
        return failure('reject needs `feedback`: what the next attempt must change');
      if (action !== 'reject' && feedback !== undefined) return failure('`feedback` goes with reject only');
      const args: string[] = [action, runId];
      if (feedback !== undefined) args.push('--feedback', feedback);
      if (phase !== undefined) args.push('--phase', phase);
      const { file, exitCode } = await startInBackground(args, action);
      remember(runId, file);
      return answer({
        runId,
        action,
        status: exitCode === undefined ? 'running' : `ended (exit ${exitCode})`,
      });
    }),
  );
}
