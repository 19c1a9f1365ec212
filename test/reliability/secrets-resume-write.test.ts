/**
 * A model's answer is journaled redacted, while the live run acts on the model's own text. When the run dies
 * while a `write` or `edit` from that answer is in flight (not yet recorded), the resume executes it again from
 * the journaled answer — which holds `[REDACTED:…]` where the model wrote a secret. The tools refuse to put a
 * placeholder the file does not already hold: the user's file is left as it was, and the refusal is what the
 * journal, the events and the model's next prompt say. Real files and a real journal; the engine in process.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/errors/index.js';
import type { ModelScript } from '../../src/testing/model-script.js';
import type { Tool } from '../../src/tools/tool.js';
import { createWorkspaceTools } from '../../src/tools/workspace-tools.js';
import { createRedactor } from '../../src/util/redact.js';
import { harness, harnessesClosedAfterEach } from '../support/engine.js';
import { phase, report, testWorkflow } from '../support/workflow.js';

const make = harnessesClosedAfterEach();
const DOTENV_VALUE = 'resume-dotenv-pass-5590';
const ANTHROPIC_KEY = ['sk', 'ant', 'api03', 'ResumeWriteKey0123456789abcdefXYZ'].join('-');
const ORIGINAL = 'export const settings = { region: "eu" };\n';

/** A write tool that never finishes: the run dies (is interrupted) while the call is in flight. */
const hangingTools: Tool[] = ['write', 'edit'].map((name) => ({
  name,
  description: `${name}s a file`,
  inputSchema: { type: 'object' },
  permission: 'write' as const,
  execute: (_input, context) =>
    new Promise((_resolve, reject) =>
      context.abortSignal.addEventListener('abort', () => reject(context.abortSignal.reason)),
    ),
}));

const figures = { cases: 0, corrupted: 0 };

describe('a write replayed from a redacted answer on resume', () => {
  it.each([
    ['write', { path: 'src/settings.ts', content: `export const settings = { key: "${ANTHROPIC_KEY}" };\n` }],
    ['edit', { path: 'src/settings.ts', old: 'region: "eu"', new: `region: "eu", db: "${DOTENV_VALUE}"` }],
  ])('%s: leaves the file as it was and says why', async (tool, input) => {
    const base = testWorkflow();
    const research = { ...base.agents.research!, permissions: ['read' as const, 'write' as const] };
    const workflow = testWorkflow({
      workspace: base.workspace,
      agents: { ...base.agents, research },
      phases: [phase('research', { escalation: ['halt'] })],
    });
    writeFileSync(join(workflow.workspace, '.env'), `DB_PASSWORD=${DOTENV_VALUE}\n`);
    const settings = join(workflow.workspace, 'src', 'settings.ts');
    mkdirSync(join(workflow.workspace, 'src'));
    writeFileSync(settings, ORIGINAL);
    const redactor = createRedactor({ env: {}, workspace: workflow.workspace });
    const script: ModelScript = {
      phases: {
        research: [
          { turns: [{ toolCalls: [{ name: tool, input, id: 'call-1' }] }, { text: report('research') }] },
        ],
      },
    };

    const first = harness(workflow, script);
    const controller = new AbortController();
    const interrupted = await first.run({
      tools: hangingTools,
      redactor,
      abortSignal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'tool-call') setTimeout(() => controller.abort(new InterruptedError()), 20);
      },
    });
    first.close();
    expect(interrupted.status).toBe('interrupted');
    expect(readFileSync(settings, 'utf8')).toBe(ORIGINAL);

    const second = make(workflow, script);
    const tools = createWorkspaceTools({ redactor });
    const resumed = await second.run({ tools, redactor, resume: { runId: interrupted.runId } });
    figures.cases++;
    const after = readFileSync(settings, 'utf8');
    if (after !== ORIGINAL) figures.corrupted++;
    expect(after).toBe(ORIGINAL);
    expect(after).not.toContain('[REDACTED');
    expect(resumed.status).toBe('succeeded');
    // The call was executed again (not replayed) and refused; the refusal is journaled and the model told why.
    const refusal = /placeholder that the file does not hold/;
    const toolEnds = second.events.filter((event) => event.type === 'tool-call-end');
    expect(toolEnds).toMatchObject([{ tool, ok: false, replayed: false }]);
    const steps = JSON.stringify(await second.journal.listSteps(resumed.runId));
    expect(steps).toMatch(refusal);
    const nextPrompt = second.backend.calls.find((call) => call.turn === 2);
    expect(JSON.stringify(nextPrompt?.request)).toMatch(refusal);
    console.log(
      `reliability: secrets: resumed ${tool} from a redacted answer: ${figures.cases} cases, ${figures.corrupted} files corrupted`,
    );
  });
});
